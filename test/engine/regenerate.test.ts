/**
 * Regeneration: a model with other (pruned, odd) widths compiles and trains with gradients equal to tf.js's,
 * and 100 engine creations/disposals over changing widths leak no sessions (RSS stays flat).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import { awayFromZero, bothGradients, oneHot, seedWeights, worst } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(w1: number, w2: number): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  let x = tf.layers
    .conv2d({ name: 'stem', filters: w1, kernelSize: 3, padding: 'same', useBias: false })
    .apply(input);
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x);
  x = tf.layers.reLU({ name: 'stem_relu' }).apply(x);
  x = tf.layers
    .conv2d({ name: 'c1', filters: w2, kernelSize: 3, strides: 2, padding: 'same', useBias: false })
    .apply(x);
  x = tf.layers.batchNormalization({ name: 'c1_bn' }).apply(x);
  x = tf.layers.reLU({ name: 'c1_relu' }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
  const out = tf.layers.dense({ name: 'fc', units: 4 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('regeneration', () => {
  it('a pruned model (odd widths) compiles, matches tf.js gradients and trains', async () => {
    const pruned = net(5, 11);
    seedWeights(pruned, 1);
    const xs = awayFromZero([4, 8, 8, 3], 2);
    const ys = oneHot(4, 4, 3);
    const { onnx, tfjs } = await bothGradients(pruned, xs, ys);
    expect(worst(onnx, tfjs).err).toBeLessThanOrEqual(1e-4);
    const engine = await createEngine(pruned, {
      engine: 'onnx',
      learningRate: 0.1,
      threads: 1,
      loss: 'categorical-crossentropy',
    });
    const first = await engine.step(xs, ys);
    let last = first;
    for (let i = 0; i < 10; i++) last = await engine.step(xs, ys);
    expect(last).toBeLessThan(first);
    engine.dispose();
  });

  it('100 regenerations do not grow RSS', async () => {
    const models = [net(8, 16), net(7, 13), net(5, 9), net(3, 4)];
    models.forEach((m, i) => seedWeights(m, i));
    const xs = awayFromZero([4, 8, 8, 3], 5);
    const ys = oneHot(4, 4, 6);
    const cycle = async (i: number) => {
      const engine = await createEngine(models[i % models.length], {
        engine: 'onnx',
        threads: 1,
        loss: 'categorical-crossentropy',
      });
      await engine.step(xs, ys);
      engine.dispose();
    };
    for (let i = 0; i < 10; i++) await cycle(i);
    global.gc?.();
    const before = process.memoryUsage().rss;
    for (let i = 10; i < 110; i++) await cycle(i);
    global.gc?.();
    const grown = (process.memoryUsage().rss - before) / 2 ** 20;
    // A leaked session per cycle (its graph, kernels and arena: ≥ 0.5 MB each) would show as > 50 MB.
    expect(grown).toBeLessThan(40);
  });
});
