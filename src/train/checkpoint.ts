/**
 * Checkpoints of a training run under `DIR/checkpoints/`: the model's weights (and BN statistics) at a
 * step in `step-N/`, with the engine's optimizer state (momentum velocities, Adam moments) in
 * `step-N/optimizer.bin` (float32 little-endian arrays one after another), then `state.json` naming it
 * (written atomically last, so a checkpoint is either complete or absent), with λ, the history so far, the
 * optimizer arrays' names and lengths, and the run's settings (a resume must use the same).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
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
  /** The engine's optimizer state: the binary file (under `checkpoints/`) and its arrays in order. */
  optimizer?: { file: string; arrays: { name: string; length: number }[] };
}

const OPTIMIZER_FILE = 'optimizer.bin';

/**
 * Writes a checkpoint of `model` (already synced from the engine) at `state.step`, with the engine's
 * optimizer state when given.
 */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  state: Omit<CheckpointState, 'weights' | 'optimizer'>,
  optimizer?: Record<string, Float32Array>,
): Promise<void> {
  const root = path.join(dir, 'checkpoints');
  const sub = `step-${state.step}`;
  await saveModel(model, path.join(root, sub));
  let index: CheckpointState['optimizer'];
  if (optimizer) {
    const names = Object.keys(optimizer).sort();
    const bytes = Buffer.concat(names.map((n) => float32Bytes(optimizer[n])));
    index = {
      file: `${sub}/${OPTIMIZER_FILE}`,
      arrays: names.map((name) => ({ name, length: optimizer[name].length })),
    };
    await writeFileAtomic(path.join(root, sub, OPTIMIZER_FILE), bytes);
  }
  await writeJsonAtomic(path.join(root, 'state.json'), { ...state, weights: sub, optimizer: index });
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

/** The little-endian bytes of a float32 array. */
function float32Bytes(a: Float32Array): Buffer {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeFloatLE(a[i], i * 4);
  return b;
}

/** Reads a checkpoint's optimizer state, or undefined when it has none. */
export async function readOptimizerState(
  dir: string,
  state: CheckpointState,
): Promise<Record<string, Float32Array> | undefined> {
  if (!state.optimizer) return undefined;
  const file = path.join(dir, 'checkpoints', state.optimizer.file);
  const bytes = await fs.readFile(file);
  const total = state.optimizer.arrays.reduce((s, a) => s + a.length, 0);
  if (bytes.length !== total * 4)
    throw new MorphnetError(`${file}: has ${bytes.length} bytes, the checkpoint names ${total * 4}`);
  const out: Record<string, Float32Array> = {};
  let offset = 0;
  for (const { name, length } of state.optimizer.arrays) {
    const a = new Float32Array(length);
    for (let i = 0; i < length; i++) a[i] = bytes.readFloatLE(offset + i * 4);
    out[name] = a;
    offset += length * 4;
  }
  return out;
}
