/** Mini-batches of a split: seeded shuffling, one-hot labels, flat NHWC float32 images. */
import { permutation } from './random.js';
import type { Split } from './types.js';

/** One mini-batch: `size` images (NHWC, flat), their one-hot labels and their integer labels. */
export interface Batch {
  xs: Float32Array;
  ys: Float32Array;
  labels: Uint8Array;
  size: number;
}

/** Options of `batches`. */
export interface BatchOptions {
  /** Skip the last, smaller batch (default false). */
  dropRemainder?: boolean;
  /** Visit the examples in a seeded random order (default true); false keeps the split's order. */
  shuffle?: boolean;
}

/** One-hot float32 encoding of `labels` over `classes` classes (row-major, labels.length × classes). */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < classes)) throw new Error(`Label ${label} is outside 0 to ${classes - 1}.`);
    out[i * classes + label] = 1;
  }
  return out;
}

/**
 * Yields the split in mini-batches of `batchSize`, in a random order fixed by `seed` (pass e.g. seed + epoch
 * for a new order per epoch). Every example appears exactly once per pass (unless the remainder is dropped).
 */
export function* batches(
  split: Split,
  batchSize: number,
  seed: number,
  options: BatchOptions = {},
): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`The batch size must be a positive integer, got ${batchSize}.`);
  }
  const pixels = split.imageShape[0] * split.imageShape[1] * split.imageShape[2];
  const order = options.shuffle === false ? null : permutation(split.count, seed);
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    if (size < batchSize && options.dropRemainder) return;
    const xs = new Float32Array(size * pixels);
    const labels = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const j = order ? order[start + i] : start + i;
      xs.set(split.images.subarray(j * pixels, (j + 1) * pixels), i * pixels);
      labels[i] = split.labels[j];
    }
    yield { xs, ys: oneHot(labels, split.classes), labels, size };
  }
}

/** The number of batches `batches` yields for this split. */
export function batchCount(split: Split, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(split.count / batchSize) : Math.ceil(split.count / batchSize);
}
