/**
 * Per-channel switch values of the sources: |γ| for a BatchNorm γ, and for a kernel morph-net's group-lasso
 * norm, the RMS `sqrt(mean(w²))` over every axis but the output-channel axis.
 */
import type { SourceSpec } from '../groups/types.js';
import type { SourceValues } from './alive.js';

/** Raw weights by manifest name (`bn1/gamma`, `conv1/kernel`), row-major in their tf.js shapes. */
export type WeightValues = Map<string, { values: Float32Array; shape: number[] }>;

/** Size of one output channel's slice of a kernel (elements over the non-output axes). */
export function channelSize(shape: number[], axis: number): number {
  return shape.reduce((s, d, i) => (i === axis ? s : s * d), 1);
}

/** RMS norm per output channel of a kernel along `axis` (morph-net's GroupLassoRegularizer, l1_fraction 0). */
export function rmsPerChannel(values: Float32Array, shape: number[], axis: number): Float32Array {
  const n = shape[axis];
  const inner = shape.slice(axis + 1).reduce((s, d) => s * d, 1);
  const sums = new Float64Array(n);
  for (let i = 0; i < values.length; i++) {
    const o = Math.floor(i / inner) % n;
    sums[o] += values[i] * values[i];
  }
  const size = channelSize(shape, axis);
  return Float32Array.from(sums, (s) => Math.sqrt(s / size));
}

/** The switch values of each source (|γ| or kernel RMS per channel); missing weights are skipped. */
export function switchValues(sources: SourceSpec[], weights: WeightValues): SourceValues {
  const out: SourceValues = new Map();
  for (const s of sources) {
    const w = weights.get(s.weight);
    if (!w) continue;
    out.set(s.weight, s.kind === 'gamma' ? w.values.map(Math.abs) : rmsPerChannel(w.values, w.shape, s.axis));
  }
  return out;
}
