/**
 * Checkpoints of a training run under `DIR/checkpoints/`: the model's weights (and BN statistics) at a
 * step in `step-N/`, then `state.json` naming it (written atomically last, so a checkpoint is either
 * complete or absent), with λ, the history so far and the run's settings (a resume must use the same).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { writeJsonAtomic } from '../io/atomic.js';
import { loadModel, saveModel } from '../io/model-files.js';
import { weightVariables } from '../regularizers/model-weights.js';
import type { History } from './types.js';

/** The settings a resumed run must share with the interrupted one. */
export type RunSettings = Record<string, string | number | undefined>;

/** What `state.json` holds. */
export interface CheckpointState {
  step: number;
  lambda: number;
  history: History;
  settings: RunSettings;
  /** Subfolder of `checkpoints/` with the weights. */
  weights: string;
  /** Classes pushed during the hold phase (1 = dead when the structure was fixed). */
  held?: number[];
  /** Optimizer state from an engine that exports it (momentum slots), base64 per name. */
  optimizer?: Record<string, string>;
}

/** Writes a checkpoint of `model` (already synced from the engine) at `state.step`. */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  state: Omit<CheckpointState, 'weights'>,
): Promise<void> {
  const root = path.join(dir, 'checkpoints');
  const sub = `step-${state.step}`;
  await saveModel(model, path.join(root, sub));
  await writeJsonAtomic(path.join(root, 'state.json'), { ...state, weights: sub });
  for (const e of await fs.readdir(root)) {
    if (e.startsWith('step-') && e !== sub) await fs.rm(path.join(root, e), { recursive: true, force: true });
  }
}

/** Reads the last checkpoint's state, or undefined when there is none. */
export async function readCheckpoint(dir: string): Promise<CheckpointState | undefined> {
  try {
    return JSON.parse(
      await fs.readFile(path.join(dir, 'checkpoints', 'state.json'), 'utf8'),
    ) as CheckpointState;
  } catch {
    return undefined;
  }
}

/** Copies a checkpoint's weights into `model` (same architecture). */
export async function restoreWeights(
  dir: string,
  state: CheckpointState,
  model: tf.LayersModel,
): Promise<void> {
  const saved = await loadModel(path.join(dir, 'checkpoints', state.weights, 'model.json'));
  const from = weightVariables(saved);
  for (const [name, v] of weightVariables(model)) {
    const src = from.get(name);
    if (src) v.write(src.read().clone());
  }
  saved.dispose();
}
