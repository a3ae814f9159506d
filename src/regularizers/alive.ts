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
