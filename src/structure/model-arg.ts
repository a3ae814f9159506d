/**
 * Models named on the command line: a `model.json` path (tfjs or Keras-converted, with or without
 * weights) or `zoo:NAME`, loaded as a tf.js model after the file has been checked with readable errors.
 */
import * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { parseModelJson } from '../graph/index.js';
import { loadModel, readModelJson } from '../io/index.js';

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
  } = {},
): Promise<LoadedModel> {
  if (spec.startsWith('zoo:')) {
    if (options.requireWeights)
      throw new MorphnetError(
        `${spec}: has no trained weights; ${options.what ?? 'this command'} needs a trained model.json.`,
      );
    const { buildZooModel } = await import('../zoo/index.js');
    try {
      const zooOptions = options.inputShape
        ? { inputShape: options.inputShape as [number, number, number] }
        : {};
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
      const topology = (json as { modelTopology: object }).modelTopology;
      const model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
      return { model, hasWeights: false };
    }
    return { model: await loadModel(spec), hasWeights };
  } catch (e) {
    const msg = (e as Error).message.replace(/\.$/, '');
    throw new MorphnetError(msg.startsWith(spec) ? `${msg}.` : `${spec}: cannot be loaded (${msg}).`);
  }
}
