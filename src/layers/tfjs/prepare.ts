/**
 * Model files as tf.js 4.22 reads and morphnet writes them. Before tf.js reads a topology, each layer's
 * config is prepared by its registered class (fields tf.js refuses are dropped; Keras 3's activation
 * name `silu` becomes tf.js's `swish`) and a class tf.js cannot
 * build is refused in one sentence naming the layer; morphnet's own classes (Normalization) are
 * registered with tf.js by importing this module. When a model is written, a class tf.js lacks is
 * written as its native form (Normalization as a frozen BatchNormalization), so plain tf.js loads it.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerConfig } from '../../graph/types.js';
import type { WeightValues } from '../../structure/weights.js';
import { layerClass } from '../index.js';
import './normalization-layer.js';

type JsonLayer = { class_name: string; config: LayerConfig; name?: string };

/** Activation names newer Keras writes for functions tf.js has under its older name. */
const ACTIVATION_ALIASES: Record<string, string> = { silu: 'swish' };

/** The layer list of a topology (Sequential list, functional `config.layers`, Keras `model_config`). */
function layersOf(topology: Record<string, unknown>): JsonLayer[] {
  const model = (topology['model_config'] ?? topology) as Record<string, unknown>;
  const config = model['config'];
  if (Array.isArray(config)) return config as JsonLayer[];
  const layers = (config as Record<string, unknown> | undefined)?.['layers'];
  return Array.isArray(layers) ? (layers as JsonLayer[]) : [];
}

function layerName(layer: JsonLayer): string {
  return String(layer.config?.['name'] ?? layer.name ?? '?');
}

/** Whether tf.js (with morphnet's registered classes) has a layer class of this name. */
export function tfjsKnows(className: string): boolean {
  return className in tf.serialization.SerializationMap.getMap().classNameMap;
}

/**
 * A copy of a `modelTopology` that tf.js 4.22 loads: configs prepared by their classes. Throws one
 * sentence naming the first layer whose class tf.js cannot build.
 */
export function tfjsTopology<T extends object>(topology: T): T {
  const copy = structuredClone(topology);
  for (const layer of layersOf(copy as Record<string, unknown>)) {
    if (!layer || typeof layer.class_name !== 'string' || typeof layer.config !== 'object') continue;
    const cls = layerClass(layer.class_name);
    const refusal = cls?.refusal?.(layerName(layer), layer.class_name);
    if (refusal) throw new Error(refusal);
    if (!tfjsKnows(layer.class_name) && !['Sequential', 'Model', 'Functional'].includes(layer.class_name))
      throw new Error(
        `layer "${layerName(layer)}" (${layer.class_name}) is a class tf.js cannot build; replace it by layers tf.js has before converting`,
      );
    cls?.tfjs.prepareConfig?.(layer.config);
    const activation = layer.config['activation'];
    if (typeof activation === 'string' && activation in ACTIVATION_ALIASES)
      layer.config['activation'] = ACTIVATION_ALIASES[activation];
  }
  return copy;
}

/** A weight of written artifacts: its manifest entry and its bytes. */
interface WrittenWeight {
  spec: tf.io.WeightsManifestEntry;
  bytes: Uint8Array;
}

function splitWeights(artifacts: tf.io.ModelArtifacts): WrittenWeight[] {
  const data = new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData ?? []));
  let offset = 0;
  return (artifacts.weightSpecs ?? []).map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1) * 4; // tf.js saves float32 and int32 weights
    const bytes = data.slice(offset, offset + size);
    offset += size;
    return { spec, bytes };
  });
}

/**
 * The artifacts of a model as morphnet writes them: each layer of a class tf.js lacks replaced by its
 * native form, config and weights (names keep the layer's name). Others are unchanged.
 */
export function nativeArtifacts(
  artifacts: tf.io.ModelArtifacts,
  model: tf.LayersModel,
): tf.io.ModelArtifacts {
  const topology = artifacts.modelTopology as Record<string, unknown>;
  const layers = layersOf(topology);
  const replaced = layers.filter((l) => layerClass(l.class_name)?.nativeForm);
  if (replaced.length === 0) return artifacts;
  let weights = splitWeights(artifacts);
  for (const layer of replaced) {
    const form = layerClass(layer.class_name)!.nativeForm!;
    const name = layerName(layer);
    const own = new Map<string, WeightValues>();
    for (const w of weights) {
      if (!w.spec.name.startsWith(`${name}/`)) continue;
      const values = new Float32Array(
        w.spec.dtype === 'int32'
          ? Int32Array.from(new Int32Array(w.bytes.buffer))
          : new Float32Array(w.bytes.buffer),
      );
      own.set(w.spec.name.slice(name.length + 1), { values, shape: w.spec.shape });
    }
    const shape = model.getLayer(name).outputShape as number[];
    const channels = shape[shape.length - 1];
    const written = form.weights(own, layer.config, channels);
    const at = weights.findIndex((w) => w.spec.name.startsWith(`${name}/`));
    const rest = weights.filter((w) => !w.spec.name.startsWith(`${name}/`));
    const added: WrittenWeight[] = [...written].map(([short, v]) => ({
      spec: { name: `${name}/${short}`, shape: v.shape, dtype: 'float32' },
      bytes: new Uint8Array(Float32Array.from(v.values).buffer),
    }));
    weights = at < 0 ? [...rest, ...added] : [...rest.slice(0, at), ...added, ...rest.slice(at)];
    layer.config = { ...form.config(layer.config), name };
    layer.class_name = form.className;
  }
  return {
    ...artifacts,
    weightSpecs: weights.map((w) => w.spec),
    weightData: tf.io.concatenateArrayBuffers(weights.map((w) => w.bytes.buffer as ArrayBuffer)),
  };
}
