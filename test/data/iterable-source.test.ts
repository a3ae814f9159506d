/**
 * Library data input: a `tf.data.Dataset` of `{ xs, ys }` batches (built by tf.data from the examples,
 * the `model.fitDataset` convention) trains an engine to exactly the losses of the same batches held in
 * memory, over two epochs, without leaking tensors; async iterables work when they start over per
 * epoch, and one-shot generators, empty inputs and malformed batches are refused in one sentence.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  iterableSource,
  mulberry32,
  sourceBatchTensors,
  splitSource,
  toBatchSource,
  type BatchSource,
  type Split,
} from '../../src/data/index.js';
import { createEngine, type Engine } from '../../src/engine/index.js';
import { MorphnetError } from '../../src/errors.js';
import { seedWeights } from '../engine/helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 40 seeded 8×8×3 images of 4 classes. */
const split: Split = (() => {
  const random = mulberry32(3);
  const count = 40;
  return {
    images: Float32Array.from({ length: count * 8 * 8 * 3 }, () => random()),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 4),
    count,
    imageShape: [8, 8, 3],
    classes: 4,
  };
})();

/** A batch as tf.data holds it. */
type Pair = { xs: tf.Tensor; ys: tf.Tensor };

/** A small conv net with a softmax head. */
function model(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3] });
  let y = tf.layers.conv2d({ name: 'c', filters: 4, kernelSize: 3, useBias: false }).apply(x);
  y = tf.layers.batchNormalization({ name: 'bn' }).apply(y);
  y = tf.layers.activation({ name: 'r', activation: 'relu' }).apply(y);
  y = tf.layers.globalAveragePooling2d({ name: 'g' }).apply(y);
  const out = tf.layers.dense({ name: 'out', units: 4, activation: 'softmax' }).apply(y) as tf.SymbolicTensor;
  const m = tf.model({ inputs: x, outputs: out });
  seedWeights(m, 5);
  return m;
}

/** Per epoch, the loss of every step of `engine` on `source`. */
async function losses(engine: Engine, source: BatchSource, epochs: number): Promise<number[]> {
  const out: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for await (const batch of source.epoch(e)) {
      const { xs, ys } = sourceBatchTensors(batch);
      out.push(await engine.step(xs, ys));
      xs.dispose();
      ys.dispose();
    }
  }
  return out;
}

function dataset(): tf.data.Dataset<Pair> {
  const [h, w, c] = split.imageShape;
  const pixels = h * w * c;
  const xs = tf.data.array(
    Array.from({ length: split.count }, (_, i) =>
      Array.from(split.images.subarray(i * pixels, (i + 1) * pixels)),
    ),
  );
  const ys = tf.data.array(Array.from(split.labels));
  return tf.data
    .zip({ xs, ys })
    .map((e) => {
      const { xs: x, ys: y } = e as { xs: number[]; ys: number };
      return { xs: tf.tensor3d(x, [h, w, c]), ys: tf.oneHot(y, split.classes).toFloat() };
    })
    .batch(16) as unknown as tf.data.Dataset<Pair>;
}

describe('tf.data and async iterables', () => {
  it.each(['onnx', 'tfjs'] as const)(
    'a tf.data.Dataset gives the losses of the same batches in memory (%s)',
    async (kind) => {
      const memory = await createEngine(model(), { engine: kind, threads: 1, learningRate: 0.05 });
      const fromData = await createEngine(model(), { engine: kind, threads: 1, learningRate: 0.05 });
      const want = await losses(memory, splitSource(split, { batchSize: 16, shuffle: false }), 2);
      const got = await losses(fromData, iterableSource(dataset(), 'data.train'), 2);
      expect(got).toHaveLength(6);
      expect(got).toEqual(want);
      expect(got[5]).not.toBe(got[2]);
      memory.dispose();
      fromData.dispose();
    },
  );

  it("reading a Dataset disposes its batches' tensors", async () => {
    const before = tf.memory().numTensors;
    const source = iterableSource(dataset());
    for (const e of [0, 1])
      for await (const b of source.epoch(e, { from: e })) expect(b.size).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('an async iterable that starts over serves every epoch, and from: k skips k batches', async () => {
    const batches = [0, 1, 2].map((i) => ({ xs: tf.fill([2, 3], i), ys: tf.fill([2, 1], i) }));
    const iterable = {
      async *[Symbol.asyncIterator]() {
        yield* batches;
      },
    };
    const source = toBatchSource(iterable, { batchSize: 99 });
    for (const e of [0, 1]) {
      const seen = [];
      for await (const b of source.epoch(e, { from: e })) seen.push(b.xs[0]);
      expect(seen).toEqual(e === 0 ? [0, 1, 2] : [1, 2]);
    }
    // The caller's tensors are left alone.
    expect(batches[0].xs.isDisposed).toBe(false);
    tf.dispose(batches);
  });

  it('refuses a one-shot generator in its second epoch, an empty input and a malformed batch', async () => {
    const drain = async (s: BatchSource, e: number) => {
      for await (const b of s.epoch(e)) void b;
    };
    async function* once() {
      yield { xs: tf.zeros([1, 2]), ys: tf.zeros([1, 1]) };
    }
    const oneShot = iterableSource(once(), 'data.train');
    await drain(oneShot, 0);
    await expect(drain(oneShot, 1)).rejects.toThrow(
      /data.train gave no batches in epoch 1: pass an iterable that starts over/,
    );
    await expect(drain(iterableSource(tf.data.array<Pair>([]), 'data.test'), 0)).rejects.toThrow(
      /data.test gave no batches\./,
    );
    const bad = tf.data.array([{ images: tf.zeros([1, 2]) }]) as unknown as tf.data.Dataset<Pair>;
    const error = await drain(iterableSource(bad, 'data.validation'), 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MorphnetError);
    expect((error as Error).message).toBe(
      "data.validation: batch 0 is not { xs, ys } tensors (model.fitDataset's convention); it has images.",
    );
    expect(() => iterableSource(42 as never)).toThrow(/neither a tf.data.Dataset nor an async iterable/);
  });
});
