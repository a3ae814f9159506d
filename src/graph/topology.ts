/**
 * Normalises the model file shapes users have (tfjs "layers-model" files, Keras-converted files with
 * `model_config`, bare Keras topologies; Sequential / Model / Functional) into one list of layers with
 * inbound nodes, ready to be turned into an op graph.
 */
import { pythonCodeRefusal } from '../layers/lambda.js';
import type { LayerConfig } from './types.js';

/** One inbound connection: output `tensorIndex` of node `nodeIndex` of layer `layer`. */
export interface InboundRef {
  layer: string;
  nodeIndex: number;
  tensorIndex: number;
}

/** A layer of a normalised topology. */
export interface TopologyLayer {
  name: string;
  className: string;
  config: LayerConfig;
  /** One entry per application of the layer; each lists that application's inputs. */
  inboundNodes: InboundRef[][];
}

/** A normalised functional topology. */
export interface Topology {
  name: string;
  layers: TopologyLayer[];
  inputs: InboundRef[];
  outputs: InboundRef[];
}

/** A weights manifest entry (tfjs format). */
export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype?: string;
}

/** What a model file holds once unwrapped. */
export interface ModelFileContent {
  topology: Topology;
  /** Weight entries of the manifest (empty for a topology-only file). */
  manifest: ManifestWeight[];
  /** Keras version that wrote the file, if it says. */
  kerasVersion?: string;
}

const NESTED = new Set(['Sequential', 'Model', 'Functional']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unwraps a parsed `model.json` (or a bare Keras topology) into a topology and a weights manifest. */
export function readModelFile(json: unknown): ModelFileContent {
  if (!isObject(json)) throw new Error('is not a model: expected a JSON object with "modelTopology"');
  let topologyJson: unknown = json;
  let manifest: ManifestWeight[] = [];
  if ('modelTopology' in json) {
    if (json['format'] !== undefined && json['format'] !== 'layers-model') {
      throw new Error(
        `is a "${String(json['format'])}" file; only Layers models ("layers-model") are supported`,
      );
    }
    topologyJson = json['modelTopology'];
    const wm = json['weightsManifest'];
    if (Array.isArray(wm)) {
      for (const group of wm) {
        if (isObject(group) && Array.isArray(group['weights'])) {
          for (const w of group['weights']) {
            if (isObject(w) && typeof w['name'] === 'string' && Array.isArray(w['shape'])) {
              manifest.push({
                name: w['name'],
                shape: w['shape'].map(Number),
                dtype: String(w['dtype'] ?? 'float32'),
              });
            }
          }
        }
      }
    }
  }
  if (!isObject(topologyJson)) throw new Error('is not a model: "modelTopology" is not an object');
  const kerasVersion =
    typeof topologyJson['keras_version'] === 'string' ? topologyJson['keras_version'] : undefined;
  if ('model_config' in topologyJson) topologyJson = topologyJson['model_config'];
  if (!isObject(topologyJson) || typeof topologyJson['class_name'] !== 'string') {
    throw new Error('is not a model: the topology has no "class_name"');
  }
  const className = topologyJson['class_name'];
  const config = topologyJson['config'];
  let topology: Topology;
  if (className === 'Sequential') topology = readSequential(config);
  else if (className === 'Model' || className === 'Functional') topology = readFunctional(config);
  else throw new Error(`is not a model: class "${className}" is neither Sequential, Model nor Functional`);
  manifest = manifest.filter(
    (w) => w.dtype === undefined || w.dtype.startsWith('float') || w.dtype === 'int32',
  );
  return { topology, manifest, kerasVersion };
}

function readLayerHeader(
  raw: unknown,
  where: string,
): { className: string; config: LayerConfig; name: string } {
  if (!isObject(raw) || typeof raw['class_name'] !== 'string' || !isObject(raw['config'])) {
    throw new Error(`${where} is not a layer (expected "class_name" and "config")`);
  }
  const config = raw['config'] as LayerConfig;
  const name =
    typeof raw['name'] === 'string' ? raw['name'] : typeof config['name'] === 'string' ? config['name'] : '';
  if (!name) throw new Error(`${where} has no name`);
  const module = raw['module'];
  if (typeof module === 'string' && /(^|\.)ops(\.|$)/.test(module)) {
    // Keras 3 writes `x + 3.0` on tensors as an operation node (module keras.src.ops.numpy, class Add)
    throw new Error(
      pythonCodeRefusal(name, `${module}.${raw['class_name']}`, 'a Keras operation on tensors'),
    );
  }
  if (NESTED.has(raw['class_name'])) {
    throw new Error(
      `layer "${name}" is a nested ${raw['class_name']} model; nested models are not supported (flatten it into one model)`,
    );
  }
  return { className: raw['class_name'], config, name };
}

function readSequential(config: unknown): Topology {
  const layersRaw = Array.isArray(config) ? config : isObject(config) ? config['layers'] : undefined;
  const name = isObject(config) && typeof config['name'] === 'string' ? config['name'] : 'sequential';
  if (!Array.isArray(layersRaw) || layersRaw.length === 0)
    throw new Error('is a Sequential model with no layers');
  const layers: TopologyLayer[] = [];
  let prev: string | undefined;
  layersRaw.forEach((raw, i) => {
    const header = readLayerHeader(raw, `layer ${i}`);
    if (i === 0 && header.className !== 'InputLayer') {
      const shape = header.config['batch_input_shape'] ?? header.config['batch_shape'];
      if (!Array.isArray(shape))
        throw new Error(`layer "${header.name}" (the first of a Sequential model) has no batch_input_shape`);
      const inputName = `${header.name}_input`;
      layers.push({
        name: inputName,
        className: 'InputLayer',
        config: { name: inputName, batch_input_shape: shape },
        inboundNodes: [],
      });
      prev = inputName;
    }
    const inbound = prev === undefined ? [] : [[{ layer: prev, nodeIndex: 0, tensorIndex: 0 }]];
    layers.push({
      name: header.name,
      className: header.className,
      config: header.config,
      inboundNodes: header.className === 'InputLayer' ? [] : inbound,
    });
    prev = header.name;
  });
  return {
    name,
    layers,
    inputs: [{ layer: layers[0].name, nodeIndex: 0, tensorIndex: 0 }],
    outputs: [{ layer: layers[layers.length - 1].name, nodeIndex: 0, tensorIndex: 0 }],
  };
}

function readRef(raw: unknown, where: string): InboundRef {
  // Keras 2: [name, nodeIndex, tensorIndex, kwargs]; tfjs: the same. Keras 3 keras_history objects differ.
  if (Array.isArray(raw) && typeof raw[0] === 'string') {
    return { layer: raw[0], nodeIndex: Number(raw[1] ?? 0), tensorIndex: Number(raw[2] ?? 0) };
  }
  if (isObject(raw) && isObject(raw['config']) && Array.isArray(raw['config']['keras_history'])) {
    const h = raw['config']['keras_history'] as unknown[];
    return { layer: String(h[0]), nodeIndex: Number(h[1] ?? 0), tensorIndex: Number(h[2] ?? 0) };
  }
  throw new Error(
    `${where} has an inbound reference that is not [layer, node, tensor]: ${JSON.stringify(raw)}`,
  );
}

function readNode(raw: unknown, where: string): InboundRef[] {
  if (Array.isArray(raw)) return raw.map((r) => readRef(r, where));
  if (isObject(raw) && Array.isArray(raw['args'])) {
    // Keras 3: { args: [tensor or [tensors]], kwargs }
    const flat = (raw['args'] as unknown[]).flatMap((a) => (Array.isArray(a) ? a : [a]));
    return flat
      .filter((a) => isObject(a) && a['class_name'] === '__keras_tensor__')
      .map((a) => readRef(a, where));
  }
  throw new Error(`${where} has an inbound node that is not a list`);
}

function readRefList(raw: unknown, where: string): InboundRef[] {
  if (!Array.isArray(raw)) throw new Error(`${where} is missing`);
  if (raw.length > 0 && typeof raw[0] === 'string') return [readRef(raw, where)];
  return raw.map((r) => readRef(r, where));
}

function readFunctional(config: unknown): Topology {
  if (!isObject(config) || !Array.isArray(config['layers']))
    throw new Error('is a functional model with no "layers" list');
  const layers = (config['layers'] as unknown[]).map((raw, i): TopologyLayer => {
    const header = readLayerHeader(raw, `layer ${i}`);
    const nodesRaw = isObject(raw) ? raw['inbound_nodes'] : undefined;
    const inboundNodes = Array.isArray(nodesRaw)
      ? nodesRaw.map((n) => readNode(n, `layer "${header.name}"`))
      : [];
    return { name: header.name, className: header.className, config: header.config, inboundNodes };
  });
  return {
    name: typeof config['name'] === 'string' ? config['name'] : 'model',
    layers,
    inputs: readRefList(config['input_layers'], '"input_layers"'),
    outputs: readRefList(config['output_layers'], '"output_layers"'),
  };
}
