import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { relErr, seeded } from './helpers.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  depthwise: boolean;
  stride: number;
  pad: Pad;
  k: number;
  batch: number;
  mult: number;
}

/** Gradients of sum(y ⊙ r) w.r.t. x and the filter, on the given backend, as plain arrays. */
async function grads(backend: 'cpu' | 'wasm', c: Case, seed: number): Promise<[Float32Array, Float32Array]> {
  await useBackend(backend);
  const cin = 3;
  const xShape: [number, number, number, number] = [c.batch, 7, 9, cin];
  const wShape: [number, number, number, number] = [c.k, c.k, cin, c.depthwise ? c.mult : 4];
  const x = tf.tensor4d(
    seeded(
      xShape.reduce((a, b) => a * b),
      seed,
    ),
    xShape,
  );
  const w = tf.tensor4d(
    seeded(
      wShape.reduce((a, b) => a * b),
      seed + 1,
    ),
    wShape,
  );
  const conv = (xx: tf.Tensor4D, ww: tf.Tensor4D): tf.Tensor4D =>
    c.depthwise
      ? tf.depthwiseConv2d(xx, ww, c.stride, c.pad as 'same')
      : tf.conv2d(xx, ww, c.stride, c.pad as 'same');
  const yShape = conv(x, w).shape;
  const r = tf.tensor(
    seeded(
      yShape.reduce((a, b) => a * b),
      seed + 2,
    ),
    yShape,
  );
  const f = (xx: tf.Tensor, ww: tf.Tensor): tf.Scalar =>
    conv(xx as tf.Tensor4D, ww as tf.Tensor4D)
      .mul(r)
      .sum();
  const [gx, gw] = tf.grads(f)([x, w]);
  const out: [Float32Array, Float32Array] = [
    (await gx.data()) as Float32Array,
    (await gw.data()) as Float32Array,
  ];
  tf.dispose([x, w, r, gx, gw]);
  return out;
}

function grid(depthwise: boolean): Case[] {
  const cases: Case[] = [];
  for (const stride of [1, 2, 3])
    for (const pad of ['same', 'valid'] as const)
      for (const k of [1, 3, 5, 7])
        for (const batch of [1, 3])
          for (const mult of depthwise ? [1, 2] : [1]) cases.push({ depthwise, stride, pad, k, batch, mult });
  // Explicit padding wider than the kernel: the input gradient's "full" padding goes negative.
  cases.push({
    depthwise,
    stride: 2,
    pad: [
      [0, 0],
      [4, 0],
      [0, 5],
      [0, 0],
    ],
    k: 3,
    batch: 2,
    mult: 1,
  });
  return cases;
}

describe('wasm convolution gradient kernels match the cpu backend', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  for (const depthwise of [false, true]) {
    const name = depthwise ? 'DepthwiseConv2dNativeBackprop{Input,Filter}' : 'Conv2DBackprop{Input,Filter}';
    it(`${name}: strides 1-3, same/valid/explicit, kernels 1/3/5/7, batch 1/3 on 7×9`, async () => {
      let seed = depthwise ? 1000 : 1;
      for (const c of grid(depthwise)) {
        seed += 10;
        const [cx, cw] = await grads('cpu', c, seed);
        const [wx, ww] = await grads('wasm', c, seed);
        const label = JSON.stringify(c);
        expect(relErr(wx, cx), `input gradient ${label}`).toBeLessThanOrEqual(1e-4);
        expect(relErr(ww, cw), `filter gradient ${label}`).toBeLessThanOrEqual(1e-4);
      }
    });
  }

  it('covers the fused conv path (bias + relu) that tfjs-layers uses', async () => {
    const run = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
      await useBackend(backend);
      const x = tf.tensor4d(seeded(2 * 9 * 7 * 4, 5), [2, 9, 7, 4]);
      const w = tf.tensor4d(seeded(3 * 3 * 4 * 6, 6), [3, 3, 4, 6]);
      const b = tf.tensor1d(seeded(6, 7));
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Scalar =>
        tf.fused
          .conv2d({
            x: xx as tf.Tensor4D,
            filter: ww as tf.Tensor4D,
            bias: bb,
            strides: 2,
            pad: 'same',
            activation: 'relu',
          })
          .square()
          .sum();
      const gs = tf.grads(f)([x, w, b]);
      const out = await Promise.all(gs.map(async (g) => (await g.data()) as Float32Array));
      tf.dispose([x, w, b, ...gs]);
      return out;
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    for (let i = 0; i < ref.length; i++) expect(relErr(got[i], ref[i])).toBeLessThanOrEqual(1e-4);
  });

  it('leaves no intermediate tensors or wasm buffers behind', async () => {
    await useBackend('wasm');
    const x = tf.tensor4d(seeded(2 * 7 * 9 * 3, 9), [2, 7, 9, 3]);
    const w = tf.tensor4d(seeded(3 * 3 * 3 * 4, 10), [3, 3, 3, 4]);
    const d = tf.tensor4d(seeded(3 * 3 * 3 * 2, 11), [3, 3, 3, 2]);
    const step = (): void => {
      const gs = tf.grads((xx: tf.Tensor, ww: tf.Tensor, dd: tf.Tensor) =>
        tf
          .conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same')
          .sum()
          .add(tf.depthwiseConv2d(xx as tf.Tensor4D, dd as tf.Tensor4D, 1, 'valid').sum()),
      )([x, w, d]);
      tf.dispose(gs);
    };
    step();
    const before = tf.memory();
    for (let i = 0; i < 20; i++) step();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, w, d]);
  });
});
