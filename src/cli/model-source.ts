/** Resolves the CLI's model arguments: a `model.json` path or `zoo:NAME`. */
import { MorphnetError } from '../errors.js';
import { graphFromModel, readGraphFile, type GraphOptions } from '../graph/index.js';
import type { ModelGraph } from '../graph/types.js';

/** True for a `zoo:NAME` model argument. */
export function isZooSpec(spec: string): boolean {
  return spec.startsWith('zoo:');
}

/** Reads the op graph of a model argument (building a zoo model when asked for one). */
export async function loadGraph(spec: string, options: GraphOptions = {}): Promise<ModelGraph> {
  if (!isZooSpec(spec)) return readGraphFile(spec, options);
  const { buildZooModel } = await import('../zoo/index.js');
  const { quietTfjs } = await import('./quiet-tfjs.js');
  await quietTfjs();
  let model;
  try {
    const zooOptions = options.inputShape
      ? { inputShape: options.inputShape as [number, number, number] }
      : {};
    model = buildZooModel(spec.slice(4), zooOptions);
  } catch (e) {
    throw new MorphnetError(`${spec}: ${(e as Error).message}`);
  }
  try {
    return graphFromModel(model);
  } finally {
    model.dispose();
  }
}

/** Loads a model argument for training: `zoo:NAME` (seeded fresh weights) or a model.json on disk. */
export async function loadSeedModel(
  spec: string,
  seed: number,
): Promise<import('@tensorflow/tfjs').LayersModel> {
  if (isZooSpec(spec)) {
    const { buildZooModel } = await import('../zoo/index.js');
    try {
      return buildZooModel(spec.slice(4), { seed });
    } catch (e) {
      throw new MorphnetError(`${spec}: ${(e as Error).message}.`);
    }
  }
  const { loadModel } = await import('../io/index.js');
  try {
    return await loadModel(spec);
  } catch (e) {
    throw new MorphnetError((e as Error).message.replace(/\.?$/, '.'));
  }
}
