/**
 * Fitting a profile to timings: every timed model is a sum over its ops of each kind's bilinear form, so
 * its latency is linear in the kinds' coefficients. The fit is a non-negative least squares on relative
 * errors (a 20 µs op weighs as much as a 20 ms one), made robust to the timings a loaded machine spoils by
 * a few rounds of Huber reweighting.
 */
import { fcnnlsVector } from 'ml-fcnnls';
import type { ModelGraph } from '../graph/types.js';
import { LATENCY_KINDS, SLOTS, type KindCoefficients, type LatencyKind } from './kinds.js';
import { opParts } from './op-parts.js';

/** A timed model: its graph's features (from {@link modelFeatures}) and its latency in ns. */
export interface TimedSample {
  features: Float64Array;
  ns: number;
}

/** What a fit gives: the coefficients of every kind and how well they predict the samples. */
export interface FitResult {
  kinds: Record<LatencyKind, KindCoefficients>;
  /** Root mean square relative error over the samples (unweighted). */
  rmsRelativeError: number;
  maxRelativeError: number;
  /** Relative error of each sample, in order. */
  relativeErrors: number[];
}

/** Number of feature columns: one per kind and coefficient slot. */
export const FEATURE_COUNT = LATENCY_KINDS.length * SLOTS.length;

/** The column of a kind's coefficient slot. */
function column(kind: LatencyKind, slot: number): number {
  return LATENCY_KINDS.indexOf(kind) * SLOTS.length + slot;
}

function lastDim(graph: ModelGraph, tensor: string): number {
  const shape = graph.tensors.get(tensor)!.shape;
  return shape[shape.length - 1];
}

/**
 * The features of a whole model at full width: per kind and slot, the sum over its ops of the part's
 * multiplier times `Cin·Cout`, `Cin`, `Cout`, 1 or its weight count. A model's latency is
 * `features · coefficients`.
 */
export function modelFeatures(graph: ModelGraph): Float64Array {
  const f = new Float64Array(FEATURE_COUNT);
  for (const op of graph.ops) {
    const nIn = op.inputs.reduce((s, t) => s + lastDim(graph, t), 0);
    const nOut = lastDim(graph, op.outputs[0]);
    for (const p of opParts(op)) {
      f[column(p.kind, 0)] += p.a * nIn * nOut;
      f[column(p.kind, 1)] += p.b * nIn;
      f[column(p.kind, 2)] += p.c * nOut;
      f[column(p.kind, 3)] += p.d;
      f[column(p.kind, 4)] += p.wa * nIn * nOut + p.wb * nIn + p.wc * nOut;
    }
  }
  return f;
}

/** Coefficients (one per feature column) as a table of kinds. */
function toKinds(theta: Float64Array): Record<LatencyKind, KindCoefficients> {
  const out = {} as Record<LatencyKind, KindCoefficients>;
  for (const kind of LATENCY_KINDS) {
    const [a, b, c, d, w] = SLOTS.map((_, s) => theta[column(kind, s)]);
    out[kind] = { a, b, c, d, w };
  }
  return out;
}

/** Predicted latency (ns) of a sample's features under coefficients. */
export function predict(features: Float64Array, theta: Float64Array): number {
  let s = 0;
  for (let j = 0; j < features.length; j++) s += features[j] * theta[j];
  return s;
}

/**
 * fcnnls with room to converge: many iterations, and a looser optimality tolerance when the tight one is
 * not reached (noisy timings can leave the active set cycling near the optimum).
 */
function solveNnls(rows: number[][], rhs: number[]): number[] {
  const maxIterations = 30 * (rows[0]?.length ?? 1);
  for (const gradientTolerance of [1e-5, 1e-4, 1e-3]) {
    try {
      return fcnnlsVector(rows, rhs, { maxIterations, gradientTolerance }).K.to1DArray();
    } catch {
      // not converged at this tolerance: try a looser one
    }
  }
  return fcnnlsVector(rows, rhs, { maxIterations, gradientTolerance: 1e-2 }).K.to1DArray();
}

/** Non-negative least squares of `rows · θ ≈ 1` with row weights; columns scaled for conditioning. */
function weightedNnls(samples: TimedSample[], used: number[], weights: number[]): Float64Array {
  const rows = samples.map((s, i) => used.map((j) => (s.features[j] / s.ns) * Math.sqrt(weights[i])));
  const scale = used.map((_, k) => Math.hypot(...rows.map((r) => r[k])) || 1);
  const scaled = rows.map((r) => r.map((v, k) => v / scale[k]));
  const rhs = weights.map((w) => Math.sqrt(w));
  const solution = solveNnls(scaled, rhs);
  const theta = new Float64Array(FEATURE_COUNT);
  used.forEach((j, k) => (theta[j] = Math.max(0, solution[k] / scale[k])));
  return theta;
}

/**
 * Fits every kind's coefficients (ns, ≥ 0) to timed samples. Columns no sample exercises stay 0.
 * `rounds` Huber reweightings (default 3) damp samples whose relative error is far above the typical one.
 */
export function fitProfile(samples: TimedSample[], rounds = 3): FitResult {
  if (samples.length === 0) throw new Error('fitting a latency profile needs at least one timed sample');
  const used = [...Array(FEATURE_COUNT).keys()].filter((j) => samples.some((s) => s.features[j] !== 0));
  let weights = samples.map(() => 1);
  let theta = weightedNnls(samples, used, weights);
  for (let r = 0; r < rounds; r++) {
    const errors = samples.map((s) => Math.abs(predict(s.features, theta) / s.ns - 1));
    const sorted = [...errors].sort((x, y) => x - y);
    const cut = Math.max(0.05, 1.5 * sorted[Math.floor(sorted.length / 2)]);
    weights = errors.map((e) => (e <= cut ? 1 : cut / e));
    theta = weightedNnls(samples, used, weights);
  }
  const relativeErrors = samples.map((s) => predict(s.features, theta) / s.ns - 1);
  return {
    kinds: toKinds(theta),
    rmsRelativeError: Math.sqrt(relativeErrors.reduce((s, e) => s + e * e, 0) / samples.length),
    maxRelativeError: Math.max(...relativeErrors.map(Math.abs)),
    relativeErrors,
  };
}

/** The coefficient vector of a table of kinds (the inverse of the fit's table). */
export function kindsVector(kinds: Partial<Record<LatencyKind, KindCoefficients>>): Float64Array {
  const theta = new Float64Array(FEATURE_COUNT);
  for (const kind of LATENCY_KINDS) {
    const k = kinds[kind];
    if (k) SLOTS.forEach((slot, s) => (theta[column(kind, s)] = k[slot]));
  }
  return theta;
}
