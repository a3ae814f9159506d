import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { relErr, seeded } from './helpers.js';

async function reduce(backend: 'cpu' | 'wasm', op: 'sum' | 'mean', axes: number[], keepDims: boolean) {
  await useBackend(backend);
  const x = tf.tensor(seeded(3 * 5 * 7 * 4, 51), [3, 5, 7, 4]);
  const y = op === 'sum' ? tf.sum(x, axes, keepDims) : tf.mean(x, axes, keepDims);
  const out = { shape: y.shape, data: (await y.data()) as Float32Array };
  tf.dispose([x, y]);
  return out;
}

describe('wasm Sum and Mean (leading axes in one pass, the rest by the stock kernel)', () => {
  for (const op of ['sum', 'mean'] as const) {
    for (const axes of [[0], [0, 1], [0, 1, 2], [1, 2], [3], [0, 1, 2, 3]]) {
      for (const keepDims of [false, true]) {
        it(`${op} over [${axes.join(',')}] keepDims=${keepDims} matches cpu`, async () => {
          const ref = await reduce('cpu', op, axes, keepDims);
          const got = await reduce('wasm', op, axes, keepDims);
          expect(got.shape).toEqual(ref.shape);
          expect(relErr(got.data, ref.data)).toBeLessThanOrEqual(1e-5);
        });
      }
    }
  }

  it('int32 sums still go to the stock kernel', async () => {
    await useBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const s = tf.sum(x, 0);
    expect(s.dtype).toBe('int32');
    expect(Array.from(await s.data())).toEqual([9, 12]);
    tf.dispose([x, s]);
  });
});
