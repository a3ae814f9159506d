/** Writing a pruned or expanded model and its structure to a folder: `model.json` + weights, `structure.json`. */
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeJsonAtomic } from '../io/atomic.js';
import { saveModel } from '../io/index.js';
import type { Structure } from './structure-file.js';

/** File name of the structure inside an output folder. */
export const STRUCTURE_JSON = 'structure.json';

/** Saves `dir/model.json` (+ weights) and `dir/structure.json` when given. */
export async function saveStructuredModel(
  model: tf.LayersModel,
  dir: string,
  structure?: Structure,
): Promise<void> {
  await saveModel(model, dir);
  if (structure) await writeJsonAtomic(path.join(dir, STRUCTURE_JSON), structure);
}
