/**
 * The fit on synthetic timings (DESIGN: tests of the fitting use synthetic timings): sample models timed by
 * a known profile, with noise, give back a profile that predicts held-out models (other widths, another
 * resolution) and keeps the per-MAC cost of convolutions; timings spoiled by load bursts are damped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel } from '../../src/graph/index.js';
import {
  buildSample,
  fitProfile,
  kindsVector,
  modelFeatures,
  predict,
  sampleGrid,
  type Family,
  type SampleSpec,
  type TimedSample,
} from '../../src/latency/index.js';
import { mulberry32 } from '../../src/data/random.js';
import { cpuBackend } from '../helpers/tf.js';
import { profileOf } from './helpers.js';

beforeAll(cpuBackend);

const FAMILIES: Family[] = [
  'gap',
  'conv3',
  'conv3-bn-relu',
  'conv1',
  'dw-bn-relu',
  'dense',
  'add',
  'maxpool',
];

/** The "true" profile the synthetic timings come from (ns; magnitudes as measured on onnx-cpu). */
const TRUTH = profileOf({
  input: { c: 0.2, d: 7000 },
  conv: { a: 0.009, b: 0.15, c: 0.1, d: 1600, w: 0.06 },
  conv1x1: { a: 0.01, b: 0.05, d: 1000, w: 0.06 },
  depthwise: { b: 0.06, c: 0.01, d: 1200, w: 0.1 },
  dense: { a: 0.04, b: 0.3, d: 1500, w: 0.04 },
  batchnorm: { b: 0.02, d: 300 },
  activation: { c: 0.05, d: 200 },
  pool: { b: 0.1, c: 0.02, d: 2000 },
  'global-pool': { b: 0.3, d: 5000 },
  add: { b: 0.1, c: 0.2, d: 900 },
});
const THETA = kindsVector(TRUTH.kinds);

const featuresOf = (spec: SampleSpec) => {
  const model = buildSample(spec);
  const f = modelFeatures(graphFromModel(model));
  model.dispose();
  return f;
};

/** Timings by the true profile, times (1 + noise) with noise uniform in ±`noise`. */
function synthetic(specs: SampleSpec[], noise: number, seed: number): TimedSample[] {
  const r = mulberry32(seed);
  return specs.map((spec) => {
    const features = featuresOf(spec);
    return { features, ns: predict(features, THETA) * (1 + noise * (2 * r() - 1)) };
  });
}

/** Held out: widths not in the grid, at a resolution the grid does not have (24×24). */
const HELD_OUT: SampleSpec[] = [
  { family: 'conv3', size: 24, cin: 40, cout: 72 },
  { family: 'conv3-bn-relu', size: 12, cin: 100, cout: 36 },
  { family: 'conv1', size: 24, cin: 88, cout: 200 },
  { family: 'dw-bn-relu', size: 24, cin: 144, cout: 144 },
  { family: 'dense', size: 0, cin: 700, cout: 300 },
  { family: 'add', size: 12, cin: 48, cout: 48 },
];

function worstError(samples: TimedSample[], theta: Float64Array): number {
  return Math.max(...samples.map((s) => Math.abs(predict(s.features, theta) / s.ns - 1)));
}

describe('fitting a profile to synthetic timings', () => {
  const grid = () => sampleGrid({ families: FAMILIES, sizes: [8, 16, 32] });

  it('recovers a profile that predicts held-out widths and resolutions within 3% (timings ±3%)', () => {
    const fit = fitProfile(synthetic(grid(), 0.03, 1));
    const theta = kindsVector(fit.kinds);
    expect(fit.rmsRelativeError).toBeLessThan(0.03);
    expect(worstError(synthetic(HELD_OUT, 0, 2), theta)).toBeLessThan(0.03);
    // The per-MAC cost of a 3×3 conv is what the big samples pin down.
    expect(fit.kinds.conv.a / TRUTH.kinds.conv.a).toBeCloseTo(1, 1);
    // Coefficients are non-negative; kinds no sample exercises stay 0.
    for (const k of Object.values(fit.kinds))
      for (const v of Object.values(k)) expect(v).toBeGreaterThanOrEqual(0);
    expect(fit.kinds.upsampling).toEqual({ a: 0, b: 0, c: 0, d: 0, w: 0 });
  });

  it('exact timings give the exact predictions back', () => {
    const fit = fitProfile(synthetic(grid(), 0, 3));
    expect(fit.maxRelativeError).toBeLessThan(1e-6);
    expect(worstError(synthetic(HELD_OUT, 0, 4), kindsVector(fit.kinds))).toBeLessThan(1e-6);
  });

  it('damps timings spoiled by load bursts (one sample in 12 at 1.5–3× its time)', () => {
    const samples = synthetic(grid(), 0.02, 5);
    const r = mulberry32(6);
    samples.forEach((s, i) => {
      if (i % 12 === 5) s.ns *= 1.5 + 1.5 * r();
    });
    const robust = worstError(synthetic(HELD_OUT, 0, 7), kindsVector(fitProfile(samples).kinds));
    const plain = worstError(synthetic(HELD_OUT, 0, 7), kindsVector(fitProfile(samples, 0).kinds));
    expect(robust).toBeLessThan(0.05);
    expect(robust).toBeLessThan(plain);
  });

  it('refuses an empty sample list', () => {
    expect(() => fitProfile([])).toThrow(/at least one timed sample/);
  });
});
