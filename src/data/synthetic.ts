/**
 * A synthetic, learnable ten-class data set of 32×32×3 images for CIFAR-shaped nets, generated from a seed.
 * Each class is an oriented sinusoidal grating (five orientations × two spatial periods) with a random
 * phase, contrast and colour, plus a soft blob whose mean position depends on the class, plus pixel noise.
 * A random phase averages the grating out of the class mean, so a linear nearest-mean classifier only sees
 * the blob (well above chance, far from perfect), while a small conv net (oriented filters + ReLU) learns
 * the gratings as well.
 */
import { mulberry32, randomNormal, shuffleInPlace, type Random } from './random.js';
import type { Dataset, LoadOptions, Split } from './types.js';

/** Image side and channel count of the synthetic set. */
export const SYNTHETIC_SHAPE: [number, number, number] = [32, 32, 3];
/** Most values one generated split may hold (DESIGN.md "Bounds": refuse above ~2^31 per tensor). */
const MAX_SYNTHETIC_VALUES = 2 ** 31;
/** Train and test sizes when no limit is given. */
export const SYNTHETIC_DEFAULT_COUNTS = { train: 10_000, test: 2_000 };

/** Generation parameters; the defaults are what `loadDataset('synthetic')` uses. */
export interface SyntheticOptions {
  /** Grating contrast (amplitude around mid-grey), default 0.18. */
  grating?: number;
  /** Blob brightness, default 0.2. */
  blob?: number;
  /** Standard deviation of the blob position jitter in pixels, default 4. */
  jitter?: number;
  /** Standard deviation of the per-pixel Gaussian noise, default 0.1. */
  noise?: number;
  /** Standard deviation of the grating orientation in radians (classes are π/5 apart), default 0.12. */
  tilt?: number;
}

/** The defaults (chosen so a small conv net passes 90% test accuracy after a few hundred steps). */
export const SYNTHETIC_DEFAULTS: Required<SyntheticOptions> = {
  grating: 0.18,
  blob: 0.2,
  jitter: 4,
  noise: 0.1,
  tilt: 0.12,
};

const CLASSES = 10;
const PERIODS = [9, 4.5];

/** Class names of the synthetic set: grating orientation and period. */
export const SYNTHETIC_CLASSES = Array.from(
  { length: CLASSES },
  (_, k) => `${(k % 5) * 36}° / ${PERIODS[Math.floor(k / 5)]}px`,
);

const NOISE_TABLE_SIZE = 1 << 16;
let noise: Float32Array | undefined;

/** A fixed table of standard normal draws: pixel noise picks from it (much faster than Box–Muller per pixel). */
function noiseTable(): Float32Array {
  if (!noise) {
    const random = mulberry32(0x5eed);
    noise = new Float32Array(NOISE_TABLE_SIZE);
    for (let i = 0; i < NOISE_TABLE_SIZE; i++) noise[i] = randomNormal(random);
  }
  return noise;
}

function drawImage(
  label: number,
  random: Random,
  out: Float32Array,
  offset: number,
  o: Required<SyntheticOptions>,
) {
  const [h, w] = SYNTHETIC_SHAPE;
  const theta = ((label % 5) * Math.PI) / 5 + randomNormal(random) * o.tilt;
  const period = PERIODS[Math.floor(label / 5)] * (1 + randomNormal(random) * 0.04);
  const kx = ((2 * Math.PI) / period) * Math.cos(theta);
  const ky = ((2 * Math.PI) / period) * Math.sin(theta);
  const phase = random() * 2 * Math.PI;
  const contrast = o.grating * (0.6 + 0.4 * random());
  const tint = [0.35 + 0.65 * random(), 0.35 + 0.65 * random(), 0.35 + 0.65 * random()];
  const angle = (2 * Math.PI * label) / CLASSES;
  const bx = w / 2 + 8 * Math.cos(angle) + randomNormal(random) * o.jitter;
  const by = h / 2 + 8 * Math.sin(angle) + randomNormal(random) * o.jitter;
  const blobColour = [random(), random(), random()];
  const sigma2 = 2 * 4 * 4;
  const normals = noiseTable();
  // Both patterns are separable in x and y: precompute one row and one column of factors.
  const sinX = new Float64Array(w),
    cosX = new Float64Array(w),
    blobX = new Float64Array(w);
  const sinY = new Float64Array(h),
    cosY = new Float64Array(h),
    blobY = new Float64Array(h);
  for (let x = 0; x < w; x++) {
    sinX[x] = Math.sin(kx * x + phase);
    cosX[x] = Math.cos(kx * x + phase);
    blobX[x] = Math.exp(-((x - bx) ** 2) / sigma2);
  }
  for (let y = 0; y < h; y++) {
    sinY[y] = Math.sin(ky * y);
    cosY[y] = Math.cos(ky * y);
    blobY[y] = o.blob * Math.exp(-((y - by) ** 2) / sigma2);
  }
  // Pixel noise: a per-image xorshift32 stream (seeded from the image's generator) indexes the normal table.
  let state = (random() * 0xffffffff) | 1;
  const t0 = tint[0],
    t1 = tint[1],
    t2 = tint[2];
  const c0 = 0.5 + blobColour[0],
    c1 = 0.5 + blobColour[1],
    c2 = 0.5 + blobColour[2];
  const s = o.noise;
  let i = offset;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = contrast * (sinX[x] * cosY[y] + cosX[x] * sinY[y]);
      const b = blobX[x] * blobY[y];
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const n0 = normals[state & 0xffff] * s;
      const n1 = normals[(state >>> 16) & 0xffff] * s;
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const n2 = normals[state & 0xffff] * s;
      out[i++] = quantise(0.5 + g * t0 + b * c0 + n0);
      out[i++] = quantise(0.5 + g * t1 + b * c1 + n1);
      out[i++] = quantise(0.5 + g * t2 + b * c2 + n2);
    }
  }
}

/** Clamps to [0, 1] and rounds to a multiple of 1/255, like real 8-bit image data divided by 255. */
function quantise(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 1 : Math.round(v * 255) / 255;
}

/** Generates `count` synthetic images (balanced classes in random order) from `seed`. */
export function generateSynthetic(count: number, seed: number, options: SyntheticOptions = {}): Split {
  const pixels = SYNTHETIC_SHAPE[0] * SYNTHETIC_SHAPE[1] * SYNTHETIC_SHAPE[2];
  if (count * pixels > MAX_SYNTHETIC_VALUES)
    throw new Error(
      `${count} synthetic images of ${SYNTHETIC_SHAPE.join('×')} would be ${count * pixels} values, more than the 2^31 one array may hold; ask for at most ${Math.floor(MAX_SYNTHETIC_VALUES / pixels)} (a smaller limit).`,
    );
  const o: Required<SyntheticOptions> = { ...SYNTHETIC_DEFAULTS, ...options };
  const random = mulberry32(seed);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % CLASSES;
  shuffleInPlace(labels, random);
  const images = new Float32Array(count * pixels);
  for (let n = 0; n < count; n++) drawImage(labels[n], random, images, n * pixels, o);
  return { images, labels, count, imageShape: [...SYNTHETIC_SHAPE], classes: CLASSES };
}

/** The synthetic data set: train and test generated from different streams of the same seed (default 0). */
export function loadSynthetic(options: LoadOptions = {}, synthetic: SyntheticOptions = {}): Dataset {
  const seed = options.seed ?? 0;
  const train = generateSynthetic(options.limit ?? SYNTHETIC_DEFAULT_COUNTS.train, seed * 2 + 1, synthetic);
  const test = generateSynthetic(options.testLimit ?? SYNTHETIC_DEFAULT_COUNTS.test, seed * 2 + 2, synthetic);
  return {
    name: 'synthetic',
    imageShape: [...SYNTHETIC_SHAPE],
    classes: CLASSES,
    classNames: [...SYNTHETIC_CLASSES],
    train,
    test,
  };
}
