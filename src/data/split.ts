/** Carving splits: subsets by index and a seeded train/validation split. */
import { permutation } from './random.js';
import type { Split } from './types.js';

/** A new split holding the given examples of `split`, in the given order (data copied). */
export function subset(split: Split, indices: ArrayLike<number>): Split {
  const pixels = split.imageShape[0] * split.imageShape[1] * split.imageShape[2];
  const images = new Float32Array(indices.length * pixels);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= split.count) {
      throw new Error(`Index ${j} is outside the split (0 to ${split.count - 1}).`);
    }
    images.set(split.images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
    labels[i] = split.labels[j];
  }
  return { images, labels, count: indices.length, imageShape: [...split.imageShape], classes: split.classes };
}

/**
 * Splits off a seeded random `fraction` (0 ≤ fraction < 1) of `split` as validation; both parts keep the
 * original order of their examples. Same seed, same split.
 */
export function splitValidation(
  split: Split,
  fraction: number,
  seed: number,
): { train: Split; validation: Split } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new Error(`The validation fraction must be at least 0 and below 1, got ${fraction}.`);
  }
  const size = Math.round(split.count * fraction);
  const order = permutation(split.count, seed);
  const validation = order.slice(0, size).sort();
  const train = order.slice(size).sort();
  return { train: subset(split, train), validation: subset(split, validation) };
}
