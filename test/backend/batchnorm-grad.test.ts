import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { BN_GRAD_KERNEL } from '../../src/backend/batchnorm-grad.js';
import { relErr, seeded } from './helpers.js';

/**
 * BatchNorm in training mode as tfjs-layers computes it (batch moments over N, H, W, then
 * tf.batchNorm), differentiated w.r.t. x, γ and β through the moments too.
 */
async function bnGrads(backend: 'cpu' | 'wasm', shape: number[]): Promise<Float32Array[]> {
  await useBackend(backend);
  const c = shape[shape.length - 1];
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(seeded(n, 21), shape).mul(3).add(1.5);
  const gamma = tf.tensor1d(seeded(c, 22)).add(1.2);
  const beta = tf.tensor1d(seeded(c, 23));
  const r = tf.tensor(seeded(n, 24), shape);
  const axes = shape.slice(0, -1).map((_, i) => i);
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
    const { mean, variance } = tf.moments(xx, axes);
    return tf.batchNorm(xx, mean, variance, b, g, 1e-3).mul(r).sum();
  };
  const gs = tf.grads(f)([x, gamma, beta]);
  const out = await Promise.all(gs.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose([x, gamma, beta, r, ...gs]);
  return out;
}

describe('broadcast BatchNorm gradient on wasm', () => {
  for (const shape of [
    [3, 7, 9, 5],
    [1, 5, 3, 8],
    [6, 4],
  ]) {
    // tfjs-core cannot differentiate tf.batchNorm without scale or offset (its gradient clones the
    // missing input), on any backend: only the full form is compared.
    it(`matches cpu's gradient for x, gamma, beta (shape ${shape.join('×')})`, async () => {
      const ref = await bnGrads('cpu', shape);
      const got = await bnGrads('wasm', shape);
      for (let i = 0; i < 3; i++) {
        expect(relErr(got[i], ref[i]), `gradient ${['x', 'gamma', 'beta'][i]}`).toBeLessThanOrEqual(1e-3);
      }
    });
  }

  it('gives the same partial derivatives as tfjs-core for given statistics', async () => {
    // mean and variance as independent inputs: the kernel's own five outputs are compared.
    const run = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
      await useBackend(backend);
      const x = tf.tensor(seeded(2 * 3 * 5 * 4, 31), [2, 3, 5, 4]);
      const mean = tf.tensor1d(seeded(4, 32));
      const variance = tf.tensor1d(seeded(4, 33)).abs().add(0.5);
      const offset = tf.tensor1d(seeded(4, 34));
      const scale = tf.tensor1d(seeded(4, 35));
      const r = tf.tensor(seeded(2 * 3 * 5 * 4, 36), [2, 3, 5, 4]);
      const f = (...a: tf.Tensor[]): tf.Scalar =>
        tf.batchNorm(a[0], a[1], a[2], a[3], a[4], 1e-3).mul(r).sum();
      const gs = tf.grads(f)([x, mean, variance, offset, scale]);
      const out = await Promise.all(gs.map(async (g) => (await g.data()) as Float32Array));
      tf.dispose([x, mean, variance, offset, scale, r, ...gs]);
      return out;
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    for (let i = 0; i < ref.length; i++)
      expect(relErr(got[i], ref[i]), `input ${i}`).toBeLessThanOrEqual(1e-4);
  });

  it('is what the wasm backend actually runs (no Tile)', async () => {
    await useBackend('wasm');
    const ours = tf.getKernel(BN_GRAD_KERNEL, 'wasm');
    const tile = tf.getKernel('Tile', 'wasm');
    if (ours == null || tile == null) throw new Error('kernels missing');
    const oursSpy = vi.spyOn(ours, 'kernelFunc');
    const tileSpy = vi.spyOn(tile, 'kernelFunc');
    const x = tf.tensor(seeded(2 * 3 * 3 * 2, 41), [2, 3, 3, 2]);
    const mean = tf.tensor1d([0.1, -0.2]);
    const variance = tf.tensor1d([1, 2]);
    const offset = tf.tensor1d([0.3, 0.4]);
    const scale = tf.tensor1d([1.5, -0.5]);
    const g = tf.grad((xx: tf.Tensor) => tf.batchNorm(xx, mean, variance, offset, scale).sum())(x);
    expect(oursSpy).toHaveBeenCalledTimes(1);
    expect(tileSpy).not.toHaveBeenCalled();
    oursSpy.mockRestore();
    tileSpy.mockRestore();
    tf.dispose([x, mean, variance, offset, scale, g]);
  });
});
