import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  batchCount,
  batches,
  oneHot,
  splitValidation,
  subset,
  toTensors,
  type Split,
} from '../../src/data/index.js';

/** A split of `count` 2×1×2 images whose pixels encode the example's index: [i, i, i, i] / 1000, label i % 3. */
function indexedSplit(count: number): Split {
  const images = new Float32Array(count * 4);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    images.fill(i / 1000, i * 4, i * 4 + 4);
    labels[i] = i % 3;
  }
  return { images, labels, count, imageShape: [2, 1, 2], classes: 3 };
}
const ids = (split: { images: Float32Array }) =>
  Array.from({ length: split.images.length / 4 }, (_, i) => Math.round(split.images[i * 4] * 1000));

describe('oneHot', () => {
  it('encodes labels as rows with a single 1', () => {
    expect([...oneHot([2, 0, 1], 3)]).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(() => oneHot([3], 3)).toThrow('Label 3 is outside 0 to 2.');
  });
});

describe('splitValidation', () => {
  it('carves a seeded, disjoint validation part of the requested size', () => {
    const split = indexedSplit(1000);
    const { train, validation } = splitValidation(split, 0.1, 5);
    expect([train.count, validation.count]).toEqual([900, 100]);
    const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
    expect(all).toEqual([...Array(1000).keys()]);
    // Labels travel with their images.
    ids(validation).forEach((id, i) => expect(validation.labels[i]).toBe(id % 3));
    // Same seed, same split; another seed, another split.
    expect(ids(splitValidation(split, 0.1, 5).validation)).toEqual(ids(validation));
    expect(ids(splitValidation(split, 0.1, 6).validation)).not.toEqual(ids(validation));
    // The parts keep the original order.
    const v = ids(validation);
    expect([...v].sort((a, b) => a - b)).toEqual(v);
  });

  it('rounds the size and refuses fractions outside [0, 1)', () => {
    expect(splitValidation(indexedSplit(7), 0.5, 1).validation.count).toBe(4);
    expect(splitValidation(indexedSplit(7), 0, 1).train.count).toBe(7);
    expect(() => splitValidation(indexedSplit(7), 1, 1)).toThrow('below 1, got 1');
  });

  it('subset copies the chosen examples in order', () => {
    const part = subset(indexedSplit(10), [7, 2]);
    expect(ids(part)).toEqual([7, 2]);
    expect([...part.labels]).toEqual([1, 2]);
    expect(() => subset(indexedSplit(10), [10])).toThrow('Index 10 is outside the split (0 to 9).');
  });
});

describe('batches', () => {
  it('visits every example once per pass in a seeded order, with matching one-hot labels', () => {
    const split = indexedSplit(103);
    const list = [...batches(split, 10, 42)];
    expect(list.map((b) => b.size)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    expect(batchCount(split, 10)).toBe(11);
    const seenFromXs = list.flatMap((b) => ids({ images: b.xs }));
    expect([...seenFromXs].sort((a, b) => a - b)).toEqual([...Array(103).keys()]);
    expect(seenFromXs).not.toEqual([...Array(103).keys()]); // shuffled
    for (const b of list) {
      ids({ images: b.xs }).forEach((id, i) => {
        expect(b.labels[i]).toBe(id % 3);
        const row = [...b.ys.subarray(i * 3, i * 3 + 3)];
        expect(row).toEqual([0, 1, 2].map((k) => (k === id % 3 ? 1 : 0)));
      });
    }
    const again = [...batches(split, 10, 42)].flatMap((b) => ids({ images: b.xs }));
    const other = [...batches(split, 10, 43)].flatMap((b) => ids({ images: b.xs }));
    expect(again).toEqual(seenFromXs);
    expect(other).not.toEqual(seenFromXs);
  });

  it('drops the remainder when asked, and keeps the order without shuffling', () => {
    const split = indexedSplit(25);
    expect([...batches(split, 10, 1, { dropRemainder: true })].map((b) => b.size)).toEqual([10, 10]);
    expect(batchCount(split, 10, true)).toBe(2);
    const ordered = [...batches(split, 8, 1, { shuffle: false })].flatMap((b) => ids({ images: b.xs }));
    expect(ordered).toEqual([...Array(25).keys()]);
    expect(() => batches(split, 0, 1).next()).toThrow('The batch size must be a positive integer, got 0.');
  });

  it('toTensors gives NHWC images and one-hot labels', async () => {
    const split = indexedSplit(5);
    const batch = [...batches(split, 5, 0, { shuffle: false })][0];
    const { xs, ys } = toTensors(batch, split.imageShape, split.classes);
    expect(xs.shape).toEqual([5, 2, 1, 2]);
    expect(ys.shape).toEqual([5, 3]);
    expect(await xs.data()).toEqual(split.images);
    expect(await tf.argMax(ys, 1).data()).toEqual(Int32Array.from(split.labels));
    tf.dispose([xs, ys]);
    expect(() => toTensors(batch, [2, 2, 2], 3)).toThrow('The batch holds 20 pixel values, not 5×2×2×2.');
  });
});
