/**
 * Folding the constant output of pruned channels into what follows, so the pruned model's outputs stay
 * equal. For each conv/dense/separable layer reading dead channels of constant value k, the missing
 * contribution δ[o] = Σ_dead Σ_taps W[…, i, o] · k_i (separable: through the depthwise taps then the
 * pointwise kernel) is added to the layer's bias. Without a bias, when the layer's only consumer is a
 * BatchNormalization, it goes into that BN's moving mean instead: BN(x + δ) with mean μ equals BN(x)
 * with mean μ − δ (exact at inference). This is exact for 1×1 and `valid` windows, Dense (Flatten rows
 * included) and after global pooling; with `same` windows or zero padding the borders differ, so the
 * interior value is folded and the fold is reported as inexact. Conv2DTranspose inputs, and non-zero
 * constants entering a shared layer (one bias for several applications), are not folded (reported).
 */
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph } from '../graph/types.js';
import { layerClass } from '../layers/index.js';
import { deadConstants } from './constants.js';
import type { WeightValues } from './weights.js';

/** What was done with the dead input channels of one layer. */
export interface FoldNote {
  layer: string;
  /** Dead input entries of known constant value folded in. */
  folded: number;
  /** Where the constant went. */
  into: 'bias' | 'moving_mean' | 'none';
  /** True when the fold reproduces the original outputs exactly (up to float rounding). */
  exact: boolean;
  /** Why it is inexact or not folded, when it is. */
  reason?: string;
}

/**
 * Folds the dead channels' constants into the new model's weights (`newWeights`, edited in place) and
 * returns one note per layer that read dead channels.
 */
export function foldDeadChannels(
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array,
  oldWeights: Map<string, WeightValues>,
  newWeights: Map<string, WeightValues>,
  maps: Map<string, Int32Array>,
  threshold: number,
): FoldNote[] {
  const constants = deadConstants(graph, groups, alive, oldWeights, threshold);
  const notes: FoldNote[] = [];
  for (const op of graph.ops) {
    const cls = layerClass(op.className);
    if (!cls?.owner) continue; // channel owners mix their input channels; the rest carry constants on
    const t = op.inputs[0];
    const classes = groups.tensorClasses.get(t)!;
    const src = constants.get(t)!;
    const dead: number[] = [];
    let unknown = 0;
    let exact = true;
    classes.forEach((c, i) => {
      if (alive[c]) return;
      if (!Number.isFinite(src.value[i])) unknown++;
      else if (src.value[i] !== 0) {
        dead.push(i);
        if (!src.exact[i]) exact = false;
      } else if (!src.exact[i]) exact = false;
    });
    const deadCount = classes.reduce((s, c) => s + (alive[c] ? 0 : 1), 0);
    if (deadCount === 0) continue;
    const windowOk = cls.foldExact(op);
    if (dead.length > 0 && !windowOk) exact = false;
    const note: FoldNote = {
      layer: op.layer,
      folded: dead.length,
      into: 'none',
      exact: exact && unknown === 0,
    };
    const reasons: string[] = [];
    if (unknown > 0) reasons.push(`${unknown} removed input entries are not constant`);
    if (dead.length > 0) {
      const weight = (short: string) => oldWeights.get(`${op.layer}/${short}`);
      const delta = cls.fold({ op, input: src, deadEntries: dead, weight });
      const outMap = maps.get(op.outputs[0])!;
      const bias = newWeights.get(`${op.layer}/bias`);
      const consumers = graph.consumers.get(op.outputs[0]) ?? [];
      const next =
        consumers.length === 1 && !graph.outputs.includes(op.outputs[0])
          ? graph.opsById.get(consumers[0])
          : undefined;
      const absorbs = next && layerClass(next.className)?.absorbsShift;
      const bnMean =
        next && absorbs && graph.layers.get(next.layer)!.ops.length === 1
          ? newWeights.get(`${next.layer}/${absorbs}`)
          : undefined;
      const shared = graph.layers.get(op.layer)!.ops.length > 1;
      if (!delta) {
        reasons.push(`constants are not folded into a ${op.className}`);
        note.exact = false;
      } else if (shared && delta.some((d) => d !== 0)) {
        // a shared layer's one bias cannot take a different constant for each application
        reasons.push('the layer is shared, its applications would need different biases');
        note.exact = false;
      } else if (bias) {
        for (let o = 0; o < delta.length; o++) if (outMap[o] >= 0) bias.values[outMap[o]] += delta[o];
        note.into = 'bias';
      } else if (bnMean) {
        for (let o = 0; o < delta.length; o++) if (outMap[o] >= 0) bnMean.values[outMap[o]] -= delta[o];
        note.into = 'moving_mean';
      } else {
        reasons.push('the layer has no bias and no BatchNormalization follows it');
        note.exact = false;
      }
      if (!windowOk) reasons.push('borders differ (same padding): the interior value was folded');
    }
    if (!exact && windowOk && dead.length > 0) reasons.push('zero padding before it makes borders differ');
    if (reasons.length > 0) note.reason = reasons.join('; ');
    notes.push(note);
  }
  return notes;
}
