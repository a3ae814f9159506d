/**
 * Models named on the command line: a `model.json` path (tfjs or Keras-converted, with or without
 * weights) or `zoo:NAME`, checked with readable errors, then read as a graph or loaded as a tf.js model.
 */
import * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { graphFromModel, parseModelJson, readGraphFile, type GraphOptions } from '../graph/index.js';
import type { ModelGraph } from '../graph/types.js';
import { loadModel, readModelJson } from '../io/index.js';
import { tfjsTopology } from '../layers/tfjs/prepare.js';

/** A loaded model argument. */
export interface LoadedModel {
  model: tf.LayersModel;
  /** True when the model came with weights (a zoo model or a topology-only file has fresh ones). */
  hasWeights: boolean;
}

function manifestCount(json: unknown): number {
  const manifest = (json as { weightsManifest?: { weights?: unknown[] }[] }).weightsManifest;
  if (!Array.isArray(manifest)) return 0;
  return manifest.reduce((s, g) => s + (Array.isArray(g.weights) ? g.weights.length : 0), 0);
}

/** Reads a model file's JSON with one-sentence errors. */
export async function readModelArgJson(spec: string): Promise<unknown> {
  try {
    return await readModelJson(spec);
  } catch (e) {
    throw new MorphnetError(`${(e as Error).message.replace(/\.$/, '')}.`);
  }
}

/**
 * Checks and loads a model argument. `requireWeights` refuses zoo models and topology-only files
 * (`what` names the command in that error).
 */
export async function loadModelArg(
  spec: string,
  options: {
    requireWeights?: boolean;
    /** Build from the topology alone with fresh initial weights (no weight files read). */
    freshWeights?: boolean;
    what?: string;
    inputShape?: number[];
    json?: unknown;
    /** Seed of a zoo model's initial weights. */
    seed?: number;
  } = {},
): Promise<LoadedModel> {
  if (spec.startsWith('zoo:')) {
    if (options.requireWeights)
      throw new MorphnetError(
        `${spec}: has no trained weights; ${options.what ?? 'this command'} needs a trained model.json.`,
      );
    const { buildZooModel } = await import('../zoo/index.js');
    try {
      const zooOptions = {
        ...(options.inputShape ? { inputShape: options.inputShape as [number, number, number] } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      };
      return { model: buildZooModel(spec.slice(4), zooOptions), hasWeights: false };
    } catch (e) {
      throw new MorphnetError(`${spec}: ${(e as Error).message}`);
    }
  }
  const json = options.json ?? (await readModelArgJson(spec));
  parseModelJson(json, { inputShape: options.inputShape }, spec); // readable errors before tf.js sees it
  const hasWeights = manifestCount(json) > 0;
  if (options.requireWeights && !hasWeights) {
    throw new MorphnetError(
      `${spec}: has no weights (topology only); ${options.what ?? 'this command'} needs a model.json with its trained weights.`,
    );
  }
  try {
    if (options.freshWeights) {
      const topology = tfjsTopology((json as { modelTopology: object }).modelTopology);
      const model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
      return { model, hasWeights: false };
    }
    return { model: await loadModel(spec), hasWeights };
  } catch (e) {
    const msg = (e as Error).message.replace(/\.$/, '');
    if (msg.startsWith(spec)) throw new MorphnetError(`${msg}.`);
    // a refusal of one layer is already a sentence naming it
    throw new MorphnetError(
      msg.startsWith('layer "') ? `${spec}: ${msg}.` : `${spec}: cannot be loaded (${msg}).`,
    );
  }
}

/** True for a `zoo:NAME` model argument. */
export function isZooSpec(spec: string): boolean {
  return spec.startsWith('zoo:');
}

/** Reads the op graph of a model argument (building a zoo model when asked for one). */
export async function loadGraph(spec: string, options: GraphOptions = {}): Promise<ModelGraph> {
  if (!isZooSpec(spec)) return readGraphFile(spec, options);
  const { quietTfjs } = await import('./quiet-tfjs.js');
  await quietTfjs();
  const { model } = await loadModelArg(spec, options);
  try {
    return graphFromModel(model);
  } finally {
    model.dispose();
  }
}

/** Loads a model argument for training: `zoo:NAME` with seeded fresh weights, or a model.json on disk. */
export async function loadSeedModel(spec: string, seed: number): Promise<tf.LayersModel> {
  return (await loadModelArg(spec, { seed })).model;
}
