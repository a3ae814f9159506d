/**
 * The per-channel extra gradient: `c·sign(γ)` on a 1-D weight and `c[o]·w[…,o]/‖w[…,o]‖` on a kernel,
 * checked against the same terms computed by hand from the model's weights, for both engines; applied
 * inside `step`; zero where γ or a channel's norm is 0; bad coefficient vectors are refused.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, TfjsEngine, type Engine } from '../../src/engine/index.js';
import type { OnnxEngine } from '../../src/engine/onnx/engine.js';
import { awayFromZero, oneHot, relErr, rng, seedWeights } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 3] });
  let x = tf.layers.conv2d({ name: 'conv', filters: 5, kernelSize: 3, useBias: false }).apply(input);
  x = tf.layers.batchNormalization({ name: 'bn' }).apply(x);
  x = tf.layers.reLU({ name: 'relu' }).apply(x);
  x = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
  const out = tf.layers.dense({ name: 'fc', units: 4 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function coefficients(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => 0.01 + 0.1 * r());
}

/** The expected extra term, by hand, in tf layout (output channels = trailing axes, row-major). */
function expected(w: Float32Array, c: Float32Array): Float32Array {
  const out = new Float32Array(w.length);
  const n = c.length;
  if (w.length === n) {
    for (let i = 0; i < n; i++) out[i] = c[i] * Math.sign(w[i]);
    return out;
  }
  for (let o = 0; o < n; o++) {
    let sq = 0;
    for (let i = o; i < w.length; i += n) sq += w[i] * w[i];
    const norm = Math.sqrt(sq);
    for (let i = o; i < w.length; i += n) out[i] = norm === 0 ? 0 : (c[o] * w[i]) / norm;
  }
  return out;
}

describe('extra gradient', () => {
  it.each(['onnx', 'tfjs'] as const)('%s engine adds c·sign(γ) and the group-lasso term', async (kind) => {
    const model = net();
    seedWeights(model, 3);
    // One γ exactly 0 and one conv output channel all zeros: their extra terms must be 0.
    const bn = model.getLayer('bn').getWeights();
    const gamma = bn[0].dataSync().slice();
    gamma[2] = 0;
    model.getLayer('bn').setWeights([tf.tensor(gamma), ...bn.slice(1)]);
    const kernel = model.getLayer('conv').getWeights()[0];
    const kdata = kernel.dataSync().slice();
    for (let i = 1; i < kdata.length; i += 5) kdata[i] = 0;
    model.getLayer('conv').setWeights([tf.tensor(kdata, kernel.shape)]);

    const engine: Engine =
      kind === 'onnx'
        ? await createEngine(model, { engine: 'onnx', threads: 1, loss: 'categorical-crossentropy' })
        : new TfjsEngine(model, { loss: 'categorical-crossentropy' });
    const xs = awayFromZero([3, 6, 6, 3], 4);
    const ys = oneHot(3, 4, 5);
    const plain = await engine.gradients(xs, ys);
    const coef = {
      'bn/gamma': coefficients(5, 6),
      'conv/kernel': coefficients(5, 7),
      'dw/depthwise_kernel': coefficients(10, 8),
      'fc/kernel': coefficients(4, 9),
    };
    engine.setExtraGradient(coef);
    const withExtra = await engine.gradients(xs, ys);
    const weights: Record<string, Float32Array> = {
      'bn/gamma': gamma as Float32Array,
      'conv/kernel': kdata as Float32Array,
      'dw/depthwise_kernel': model.getLayer('dw').getWeights()[0].dataSync() as Float32Array,
      'fc/kernel': model.getLayer('fc').getWeights()[0].dataSync() as Float32Array,
    };
    for (const [name, c] of Object.entries(coef)) {
      const got = withExtra.grads[name].map((v, i) => v - plain.grads[name][i]);
      const want = expected(weights[name], c);
      expect(relErr(got, want), name).toBeLessThan(1e-4);
    }
    expect(withExtra.grads['bn/gamma'][2]).toBe(plain.grads['bn/gamma'][2]);
    expect(withExtra.grads['fc/bias']).toEqual(plain.grads['fc/bias']);
    // Removing a coefficient vector removes its term.
    engine.setExtraGradient({ 'bn/gamma': null });
    const removed = await engine.gradients(xs, ys);
    expect(relErr(removed.grads['bn/gamma'], plain.grads['bn/gamma'])).toBeLessThan(1e-6);
    expect(() => engine.setExtraGradient({ 'bn/gamma': new Float32Array(3) })).toThrow(/5 output channels/);
    expect(() => engine.setExtraGradient({ 'bn/moving_mean': new Float32Array(5) })).toThrow(
      /not a trainable weight/,
    );
    engine.dispose();
  });

  it('is applied inside step (plain SGD: w ← w − lr·(g + extra))', async () => {
    const model = net();
    seedWeights(model, 11);
    const engine = (await createEngine(model, {
      loss: 'categorical-crossentropy',
      engine: 'onnx',
      optimizer: 'sgd',
      momentum: 0,
      learningRate: 0.5,
      threads: 1,
    })) as OnnxEngine;
    const c = coefficients(5, 12);
    engine.setExtraGradient({ 'bn/gamma': c });
    const xs = awayFromZero([3, 6, 6, 3], 13);
    const ys = oneHot(3, 4, 14);
    const before = engine.weight('bn/gamma');
    const { grads } = await engine.gradients(xs, ys);
    await engine.step(xs, ys);
    const after = engine.weight('bn/gamma');
    const want = before.map((w, i) => w - 0.5 * grads['bn/gamma'][i]);
    expect(relErr(after, want)).toBeLessThan(1e-5);
    engine.dispose();
  });
});
