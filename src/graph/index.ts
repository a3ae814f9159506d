/** Reading models into the typed op graph: from a parsed `model.json`, a file, or a `tf.LayersModel`. */
import { readFile } from 'node:fs/promises';
import type * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { buildGraph, type BuildOptions } from './build.js';
import { modelTopology } from './model-topology.js';
import { readModelFile } from './topology.js';
import type { ModelGraph } from './types.js';

export type * from './types.js';
export { opId } from './build.js';
export { readModelFile } from './topology.js';
export { modelTopology, topologyLayers } from './model-topology.js';
export type { Topology, TopologyLayer, ManifestWeight } from './topology.js';

/** Options for reading a graph. */
export interface GraphOptions {
  /** Fills unknown input sizes, `[H, W, C]`. */
  inputShape?: number[];
}

/** Parses a `model.json` object (tfjs or Keras-converted, with or without weights) into an op graph. */
export function parseModelJson(json: unknown, options: GraphOptions = {}, source = 'the model'): ModelGraph {
  try {
    const content = readModelFile(json);
    const build: BuildOptions = { inputShape: options.inputShape, manifest: content.manifest };
    return buildGraph(content.topology, build);
  } catch (e) {
    if (e instanceof MorphnetError) throw e;
    throw new MorphnetError(`${source}: ${(e as Error).message}.`.replace(/\.\.$/, '.'));
  }
}

/** Reads a `model.json` file into an op graph; errors name the file. */
export async function readGraphFile(path: string, options: GraphOptions = {}): Promise<ModelGraph> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MorphnetError(
      code === 'ENOENT'
        ? `${path}: no such file.`
        : `${path}: cannot be read (${code ?? (e as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MorphnetError(`${path}: is not JSON; expected a tfjs or Keras model.json.`);
  }
  return parseModelJson(json, options, path);
}

/** Reads the op graph of an in-memory `tf.LayersModel` (through its own JSON topology). */
export function graphFromModel(model: tf.LayersModel, options: GraphOptions = {}): ModelGraph {
  return parseModelJson({ modelTopology: modelTopology(model) }, options, `model "${model.name}"`);
}
