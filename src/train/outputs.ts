/** The files of a training run in its output folder: `structure.json` and `history.json` (DESIGN.md). */
import path from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import type { NetworkRegularizer } from '../regularizers/index.js';
import { structureFromAlive } from '../structure/structure-file.js';
import type { History } from './types.js';

/** The structure file of DESIGN.md "The structure file" for an alive mask (the structure module's writer). */
export function structureJson(reg: NetworkRegularizer, alive: Uint8Array): Record<string, unknown> {
  return {
    ...structureFromAlive(reg.graph, reg.groups, alive, {
      target: reg.target,
      threshold: reg.threshold,
      hardware: reg.hardware?.name,
      costBefore: reg.initialCost,
    }),
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
