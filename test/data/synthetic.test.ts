import { describe, expect, it } from 'vitest';
import { generateSynthetic, loadDataset, type Split } from '../../src/data/index.js';

const PIXELS = 32 * 32 * 3;

/** Nearest-class-mean classifier: accuracy on `test` of class means of `train` features (Euclidean). */
function nearestMean(
  train: Float64Array[],
  trainLabels: Uint8Array,
  test: Float64Array[],
  testLabels: Uint8Array,
): number {
  const dim = train[0].length;
  const means = Array.from({ length: 10 }, () => new Float64Array(dim));
  const counts = new Array(10).fill(0);
  train.forEach((f, n) => {
    counts[trainLabels[n]]++;
    for (let d = 0; d < dim; d++) means[trainLabels[n]][d] += f[d];
  });
  means.forEach((m, k) => m.forEach((_, d) => (m[d] /= counts[k])));
  let correct = 0;
  test.forEach((f, n) => {
    let best = -1;
    let bestDistance = Infinity;
    means.forEach((m, k) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (f[d] - m[d]) ** 2;
      if (s < bestDistance) [bestDistance, best] = [s, k];
    });
    if (best === testLabels[n]) correct++;
  });
  return correct / test.length;
}

const rawPixels = (split: Split) =>
  Array.from({ length: split.count }, (_, n) =>
    Float64Array.from(split.images.subarray(n * PIXELS, (n + 1) * PIXELS)),
  );

/** |2-D DFT| of the grey image (DC removed): a translation- and phase-invariant texture feature. */
function amplitudeSpectrum(split: Split, n: number): Float64Array {
  const N = 32;
  const grey = new Float64Array(N * N);
  for (let p = 0; p < N * N; p++) {
    const o = n * PIXELS + 3 * p;
    grey[p] = (split.images[o] + split.images[o + 1] + split.images[o + 2]) / 3;
  }
  const cos = (k: number, x: number) => Math.cos((2 * Math.PI * k * x) / N);
  const sin = (k: number, x: number) => Math.sin((2 * Math.PI * k * x) / N);
  const re = new Float64Array(N * N);
  const im = new Float64Array(N * N);
  for (let y = 0; y < N; y++)
    for (let u = 0; u < N; u++)
      for (let x = 0; x < N; x++) {
        re[y * N + u] += grey[y * N + x] * cos(u, x);
        im[y * N + u] -= grey[y * N + x] * sin(u, x);
      }
  const out = new Float64Array(N * N);
  for (let v = 0; v < N; v++)
    for (let u = 0; u < N; u++) {
      let a = 0;
      let b = 0;
      for (let y = 0; y < N; y++) {
        const [c, s] = [cos(v, y), sin(v, y)];
        a += re[y * N + u] * c + im[y * N + u] * s;
        b += im[y * N + u] * c - re[y * N + u] * s;
      }
      out[v * N + u] = Math.hypot(a, b);
    }
  out[0] = 0;
  return out;
}

describe('the synthetic data set', () => {
  it('has CIFAR shape, balanced classes and byte-quantised pixels in [0, 1]', async () => {
    const data = await loadDataset('synthetic', { limit: 500, testLimit: 200, seed: 3 });
    expect(data.imageShape).toEqual([32, 32, 3]);
    expect(data.classes).toBe(10);
    expect([data.train.count, data.test.count]).toEqual([500, 200]);
    expect(data.train.images.length).toBe(500 * PIXELS);
    const counts = new Array(10).fill(0);
    for (const l of data.train.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(50));
    let outside = 0;
    let offGrid = 0;
    for (const v of data.train.images) {
      if (!(v >= 0 && v <= 1)) outside++;
      if (Math.abs(v * 255 - Math.round(v * 255)) > 1e-4) offGrid++;
    }
    expect([outside, offGrid]).toEqual([0, 0]);
  });

  it('is a deterministic function of the seed; train and test differ', async () => {
    const a = await loadDataset('synthetic', { limit: 50, testLimit: 50, seed: 1 });
    const b = await loadDataset('synthetic', { limit: 50, testLimit: 50, seed: 1 });
    const c = await loadDataset('synthetic', { limit: 50, testLimit: 50, seed: 2 });
    expect(b.train.images).toEqual(a.train.images);
    expect(b.test.labels).toEqual(a.test.labels);
    expect(c.train.images).not.toEqual(a.train.images);
    expect(a.test.images).not.toEqual(a.train.images);
  });

  it('is learnable but not linearly trivial: nearest mean on pixels is in a band, on spectra near perfect', () => {
    const train = generateSynthetic(1000, 11);
    const test = generateSynthetic(300, 12);
    // Raw pixels: only the class-dependent blob survives in the class means (the grating's phase is random).
    const pixels = nearestMean(rawPixels(train), train.labels, rawPixels(test), test.labels);
    expect(pixels).toBeGreaterThan(0.3); // chance is 0.1
    expect(pixels).toBeLessThan(0.65);
    // A nonlinear, phase-invariant feature (what a conv layer + ReLU can build) separates the gratings.
    const spectra = (s: Split) => Array.from({ length: s.count }, (_, n) => amplitudeSpectrum(s, n));
    const spectrum = nearestMean(spectra(train), train.labels, spectra(test), test.labels);
    expect(spectrum).toBeGreaterThan(0.9);
  });
});

describe('the synthetic data set, asked for too much', () => {
  it('refuses a limit past 2^31 values in one sentence before allocating (not "Invalid typed array length")', () => {
    // 2^31 / (32·32·3) = 699,050.7 images at most
    return expect(loadDataset('synthetic', { limit: 100_000_000_000 })).rejects.toThrow(
      /^100000000000 synthetic images of 32×32×3 would be 307200000000000 values, more than the 2\^31 one array may hold; ask for at most 699050 \(a smaller limit\)\.$/,
    );
  });
});
