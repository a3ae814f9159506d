/**
 * Which channels of a model are alive, decided from its own weights with the training rule: a class is
 * alive when any of its sources is above the threshold (|γ| for `gamma`, the kernel's per-output-channel
 * RMS norm for `group-lasso`, morph-net's GroupLasso `sqrt(mean(w²))` over the non-output axes). A group
 * without a source of the chosen kind is kept whole; a group whose every channel is dead keeps its
 * strongest channel, with a warning.
 */
import type { GroupAnalysis, SourceSpec } from '../groups/types.js';
import { aliveMask, classValues, type SourceValues } from '../regularizers/alive.js';
import type { WeightValues } from './weights.js';

/** How alive channels are decided. */
export interface DecideOptions {
  /** Alive when the source value is strictly above this (default 0.01). */
  threshold?: number;
  /** Which sources decide: BN γ (default) or the kernels' group-lasso norms. */
  regularizer?: 'gamma' | 'group-lasso';
}

/** Alive flags per class, the per-class source values and what the user should know. */
export interface AliveDecision {
  alive: Uint8Array;
  values: Float32Array;
  /** One line each: groups kept whole for lack of a source, groups that were entirely dead. */
  warnings: string[];
}

/** RMS norm of each slice of a weight along `axis`: sqrt(mean(w²)) over the other axes. */
export function channelNorms(w: WeightValues, axis: number): Float32Array {
  const n = w.shape[axis];
  const inner = w.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const sums = new Float64Array(n);
  for (let i = 0; i < w.values.length; i++) {
    const c = Math.floor(i / inner) % n;
    sums[c] += w.values[i] * w.values[i];
  }
  const per = w.values.length / n;
  return Float32Array.from(sums, (s) => Math.sqrt(s / per));
}

/** The sources of one kind and their per-channel values from the model's weights. */
export function sourceValues(
  groups: GroupAnalysis,
  weights: Map<string, WeightValues>,
  regularizer: 'gamma' | 'group-lasso',
): { sources: SourceSpec[]; values: SourceValues } {
  const kind = regularizer === 'gamma' ? 'gamma' : 'kernel';
  const sources = groups.sources.filter((s) => s.kind === kind && weights.has(s.weight));
  const values: SourceValues = new Map();
  for (const s of sources) {
    const w = weights.get(s.weight)!;
    values.set(s.weight, kind === 'gamma' ? Float32Array.from(w.values, Math.abs) : channelNorms(w, s.axis));
  }
  return { sources, values };
}

/**
 * Keeps the strongest channel of every unpinned group whose channels are all dead (in place), and
 * returns one warning per such group.
 */
export function reviveDeadGroups(
  groups: GroupAnalysis,
  alive: Uint8Array,
  values: Float32Array | undefined,
  what: string,
): string[] {
  const warnings: string[] = [];
  for (const g of groups.groups) {
    if (g.pinned || g.classes.some((c) => alive[c] === 1)) continue;
    let best = g.classes[0];
    if (values) for (const c of g.classes) if (values[c] > values[best]) best = c;
    alive[best] = 1;
    const index = g.classes.indexOf(best);
    warnings.push(
      `every channel of group ${g.id} (${g.layers.slice(0, 3).join(', ')}${g.layers.length > 3 ? ', …' : ''}) is ${what}; kept its strongest channel (${index}${values ? `, value ${values[best].toPrecision(3)}` : ''}).`,
    );
  }
  return warnings;
}

/** Decides the alive channels of a model from its weights (see the file comment for the rule). */
export function decideAlive(
  groups: GroupAnalysis,
  weights: Map<string, WeightValues>,
  options: DecideOptions = {},
): AliveDecision {
  const threshold = options.threshold ?? 0.01;
  const regularizer = options.regularizer ?? 'gamma';
  const { sources, values } = sourceValues(groups, weights, regularizer);
  const alive = aliveMask(groups, sources, values, threshold);
  const perClass = classValues(groups, sources, values);
  const warnings: string[] = [];
  const kind = regularizer === 'gamma' ? 'gamma' : 'kernel';
  const whole = groups.groups.filter(
    (g) => !g.pinned && !g.sources.some((s) => s.kind === kind && weights.has(s.weight)),
  );
  if (whole.length > 0) {
    const names = whole.map((g) => g.layers[0]);
    warnings.push(
      `${whole.length} channel group${whole.length > 1 ? 's have' : ' has'} no ${regularizer === 'gamma' ? 'BatchNorm γ' : 'kernel'} to decide ${whole.length > 1 ? 'their' : 'its'} channels and ${whole.length > 1 ? 'are' : 'is'} kept whole (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}).`,
    );
  }
  warnings.push(...reviveDeadGroups(groups, alive, perClass, `below the threshold ${threshold}`));
  return { alive, values: perClass, warnings };
}
