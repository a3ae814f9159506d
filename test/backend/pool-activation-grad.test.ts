import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { relErr, seeded } from './helpers.js';

/** Gradient of sum(f(x) ⊙ r) w.r.t. x on the given backend. */
async function gradOf(
  backend: 'cpu' | 'wasm',
  shape: number[],
  f: (x: tf.Tensor) => tf.Tensor,
  seed: number,
) {
  await useBackend(backend);
  const x = tf
    .tensor(
      seeded(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      shape,
    )
    .mul(8);
  const yShape = f(x).shape;
  const r = tf.tensor(
    seeded(
      yShape.reduce((a, b) => a * b, 1),
      seed + 1,
    ),
    yShape,
  );
  const g = tf.grad((xx: tf.Tensor) => f(xx).mul(r).sum())(x);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, r, g]);
  return out;
}

describe('pooling and activation gradients on wasm match cpu', () => {
  it('MaxPoolGrad and AvgPoolGrad: windows 2/3, strides 1/2/3, same/valid, odd sizes, batch 1/2', async () => {
    let seed = 500;
    for (const pool of ['max', 'avg'] as const)
      for (const size of [2, 3])
        for (const stride of [1, 2, 3])
          for (const pad of ['same', 'valid'] as const)
            for (const [h, w, n] of [
              [5, 4, 1],
              [7, 9, 2],
            ]) {
              seed += 3;
              const f = (x: tf.Tensor): tf.Tensor =>
                (pool === 'max' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, size, stride, pad);
              const ref = await gradOf('cpu', [n, h, w, 3], f, seed);
              const got = await gradOf('wasm', [n, h, w, 3], f, seed);
              expect(
                relErr(got, ref),
                JSON.stringify({ pool, size, stride, pad, h, w, n }),
              ).toBeLessThanOrEqual(1e-5);
            }
  });

  const activations: [string, (x: tf.Tensor) => tf.Tensor][] = [
    ['relu', (x) => tf.relu(x)],
    ['relu6', (x) => tf.relu6(x)],
    ['clipByValue(0, 6)', (x) => tf.clipByValue(x, 0, 6)],
    ['clipByValue(-1.5, 2)', (x) => tf.clipByValue(x, -1.5, 2)],
  ];
  it.each(activations)('%s gradient', async (_, f) => {
    const ref = await gradOf('cpu', [2, 5, 7, 3], f, 77);
    const got = await gradOf('wasm', [2, 5, 7, 3], f, 77);
    expect(relErr(got, ref)).toBe(0);
  });

  it('the activation gradients are exact at the range ends (0 and 6 inclusive as tfjs-core has them)', async () => {
    const xs = [-1, 0, 3, 6, 7, -1.5, 2];
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const x = tf.tensor1d(xs);
      const gs = [
        tf.grad((v: tf.Tensor) => tf.relu(v).sum())(x),
        tf.grad((v: tf.Tensor) => tf.relu6(v).sum())(x),
        tf.grad((v: tf.Tensor) => tf.clipByValue(v, -1.5, 2).sum())(x),
      ];
      const out = await Promise.all(gs.map(async (g) => Array.from(await g.data())));
      tf.dispose([x, ...gs]);
      return out;
    };
    expect(await run('wasm')).toEqual(await run('cpu'));
  });
});
