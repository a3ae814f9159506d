/** The files of a training run in its output folder: `structure.json` and `history.json` (DESIGN.md). */
import path from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import type { NetworkRegularizer } from '../regularizers/index.js';
import type { History } from './types.js';

/** The structure file of DESIGN.md "The structure file" for an alive mask. */
export function structureJson(reg: NetworkRegularizer, alive: Uint8Array): Record<string, unknown> {
  const layers = reg.layerAlive(alive);
  return {
    version: 1,
    target: reg.target,
    threshold: reg.threshold,
    ...(reg.hardware ? { hardware: reg.hardware.name } : {}),
    alive: layers.alive,
    masks: layers.masks,
    cost: { before: reg.initialCost, after: reg.cost(alive) },
    regularizer: reg.name,
  };
}

/** Writes `DIR/history.json` (atomically). */
export function writeHistory(dir: string, history: History): Promise<void> {
  return writeJsonAtomic(path.join(dir, 'history.json'), history);
}

/** Writes `DIR/structure.json` (atomically). */
export function writeStructure(dir: string, reg: NetworkRegularizer, alive: Uint8Array): Promise<void> {
  return writeJsonAtomic(path.join(dir, 'structure.json'), structureJson(reg, alive));
}
