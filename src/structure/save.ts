/**
 * Writing a pruned or expanded model and its structure to a folder: `model.json` + weights through
 * `saveModel` (src/io), with the topology from {@link modelTopology} (tf.js leaves SeparableConv2D's
 * depth multiplier out of its own JSON, so a reloaded model would get the wrong kernel shapes), and
 * `structure.json`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { MODEL_JSON, saveModel } from '../io/index.js';
import type { Structure } from './structure-file.js';
import { modelTopology } from './topology.js';

/** File name of the structure inside an output folder. */
export const STRUCTURE_JSON = 'structure.json';

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now().toString(36)}`;
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

/** Saves `dir/model.json` (+ weights) with a complete topology, and `dir/structure.json` when given. */
export async function saveStructuredModel(
  model: tf.LayersModel,
  dir: string,
  structure?: Structure,
): Promise<void> {
  await saveModel(model, dir);
  const file = path.join(dir, MODEL_JSON);
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  json['modelTopology'] = modelTopology(model);
  await writeAtomic(file, JSON.stringify(json));
  if (structure) await writeAtomic(path.join(dir, STRUCTURE_JSON), `${JSON.stringify(structure, null, 2)}\n`);
}
