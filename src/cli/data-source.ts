/** The CLI's `--data` argument: loading a data set, and checking it fits the model, with one-sentence errors. */
import type * as tf from '@tensorflow/tfjs';
import { checkDataFitsModel, DATASET_NAMES, loadDataset } from '../data/index.js';
import type { Dataset, LoadOptions } from '../data/types.js';
import { MorphnetError } from '../errors.js';

/** Loads `--data` (a named set or a folder of IDX files). */
export async function loadDataArg(spec: string, options: LoadOptions = {}): Promise<Dataset> {
  try {
    return await loadDataset(spec, options);
  } catch (e) {
    const known = (DATASET_NAMES as readonly string[]).includes(spec);
    throw new MorphnetError(known ? `--data ${spec}: ${(e as Error).message}` : (e as Error).message);
  }
}

/** Throws when the data's images or classes do not fit the model (before any training). */
export function checkDataArg(
  model: tf.LayersModel,
  data: Dataset,
  modelSpec: string,
  dataSpec: string,
): void {
  try {
    checkDataFitsModel(data, model.inputs[0].shape, model.outputs[0].shape.at(-1), modelSpec);
  } catch (e) {
    throw new MorphnetError(`--data ${dataSpec}: ${(e as Error).message}`);
  }
}
