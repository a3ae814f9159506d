/**
 * Per-channel regularization vectors and alive masks from source weights: a class's value is the max of
 * its sources' |γ| (or group-lasso RMS norms), morph-net's max-grouping; it is alive when any source keeps
 * it above the threshold (strict >). Pinned classes and classes without a source are always alive.
 */
import type { GroupAnalysis, SourceSpec } from '../groups/types.js';

/** Values of each source's channels (|γ| for gamma sources, the RMS norm for kernel sources). */
export type SourceValues = Map<string, Float32Array>;

/** Per-class regularization value (max over sources; 0 for classes without a source). */
export function classValues(
  groups: GroupAnalysis,
  sources: SourceSpec[],
  values: SourceValues,
): Float32Array {
  const out = new Float32Array(groups.classCount);
  for (const s of sources) {
    const v = values.get(s.weight);
    if (!v) continue;
    for (let i = 0; i < s.ids.length; i++) {
      const a = Math.abs(v[i]);
      if (a > out[s.ids[i]]) out[s.ids[i]] = a;
    }
  }
  return out;
}

/** Alive flags per class: any source above the threshold, or pinned, or without a source. */
export function aliveMask(
  groups: GroupAnalysis,
  sources: SourceSpec[],
  values: SourceValues,
  threshold: number,
): Uint8Array {
  const alive = new Uint8Array(groups.classCount).fill(1);
  const hasSource = new Uint8Array(groups.classCount);
  const anyAbove = new Uint8Array(groups.classCount);
  for (const s of sources) {
    const v = values.get(s.weight);
    if (!v) continue;
    for (let i = 0; i < s.ids.length; i++) {
      hasSource[s.ids[i]] = 1;
      if (Math.abs(v[i]) > threshold) anyAbove[s.ids[i]] = 1;
    }
  }
  for (let c = 0; c < groups.classCount; c++) {
    if (hasSource[c] && !anyAbove[c] && !groups.classPinned[c]) alive[c] = 0;
  }
  return alive;
}

/** A group whose every channel fell below the threshold, revived at its strongest channel. */
export interface RevivedGroup {
  group: number;
  /** The class kept alive (the largest regularization value of the group). */
  channel: number;
  layers: string[];
}

/**
 * DESIGN.md "Dead channels": a group whose every channel is dead keeps its strongest channel. Modifies
 * `alive` in place and returns the groups it revived (for a one-line warning each).
 */
export function keepStrongest(
  groups: GroupAnalysis,
  alive: Uint8Array,
  values: Float32Array,
): RevivedGroup[] {
  const revived: RevivedGroup[] = [];
  for (const g of groups.groups) {
    if (g.pinned || g.classes.length === 0) continue;
    let best = g.classes[0];
    let anyAlive = false;
    for (const c of g.classes) {
      if (alive[c]) {
        anyAlive = true;
        break;
      }
      if (values[c] > values[best]) best = c;
    }
    if (anyAlive) continue;
    alive[best] = 1;
    revived.push({ group: g.id, channel: best, layers: g.layers });
  }
  return revived;
}
