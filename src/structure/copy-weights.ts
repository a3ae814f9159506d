/**
 * Copying weights from an old model into a rebuilt one slice by slice: each weight's channel axes follow
 * the old→new maps of the tensors they read or write (conv/dense kernels on input and output axes,
 * biases, BN γ/β/moving statistics, depthwise kernels on their channel axis, separable pointwise kernels
 * on `c·m + j`, PReLU α on its last axis, Dense rows after Flatten through the Flatten tensor's map).
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerInfo, ModelGraph } from '../graph/types.js';
import { layerClass } from '../layers/index.js';
import { remapInto, type WeightValues } from './weights.js';

/** Per-axis old→new index maps of one weight of a layer (null: identity), from its class's axis rule. */
export function weightAxisMaps(
  graph: ModelGraph,
  layer: LayerInfo,
  shortName: string,
  rank: number,
  maps: Map<string, Int32Array>,
): (Int32Array | null)[] {
  const op = graph.opsById.get(layer.ops[0])!;
  const io = {
    rank,
    input: op.inputs.length === 1 ? maps.get(op.inputs[0])! : null,
    output: maps.get(op.outputs[0])!,
  };
  const out: (Int32Array | null)[] = new Array(rank).fill(null);
  for (const [axis, map] of layerClass(layer.className)?.axisMaps(shortName, io, op) ?? []) out[axis] = map;
  return out;
}

/**
 * The new model's weights with the old weights copied in through the tensor maps. Entries no old weight
 * maps to keep the new model's values (`fresh`, its initialisers) or are zero (`zeros`).
 */
export function mappedWeights(
  oldGraph: ModelGraph,
  oldWeights: Map<string, WeightValues>,
  newModel: tf.LayersModel,
  maps: Map<string, Int32Array>,
  start: 'fresh' | 'zeros',
): Map<string, WeightValues> {
  const out = new Map<string, WeightValues>();
  for (const layer of newModel.layers) {
    const info = oldGraph.layers.get(layer.name);
    for (const v of layer.weights) {
      const shape = [...v.shape] as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const values =
        start === 'fresh' ? Float32Array.from(v.read().dataSync() as Float32Array) : new Float32Array(size);
      const target: WeightValues = { values, shape };
      const old = oldWeights.get(v.originalName);
      if (info && old) {
        const shortName = v.originalName.slice(layer.name.length + 1);
        remapInto(old, target, weightAxisMaps(oldGraph, info, shortName, shape.length, maps));
      }
      out.set(v.originalName, target);
    }
  }
  return out;
}

/** Writes weights (by manifest name) into a model's variables. */
export function writeWeights(model: tf.LayersModel, weights: Map<string, WeightValues>): void {
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const tensors = layer.weights.map((v) => {
      const w = weights.get(v.originalName)!;
      return tf.tensor(w.values, w.shape, v.dtype);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
