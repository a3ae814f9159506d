/**
 * Gradient equality of the convolution emitters (Conv2D, DepthwiseConv2D, SeparableConv2D): the onnx
 * engine's `gradients()` against `tf.variableGrads` on tf.js's cpu backend, relative error ≤ 1e-4 (max
 * |diff| / max |ref| per tensor), over grids of kernels, strides, padding, odd sizes and batch sizes.
 * The layers under test use a linear activation and a Flatten → Dense head, so no ReLU kink is involved.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TfjsEngine } from '../../src/engine/index.js';
import { compile } from '../../src/engine/onnx/compile.js';
import { PATCH_LIMIT, setPatchLimit } from '../../src/engine/onnx/layers/conv-common.js';
import { planModel } from '../../src/engine/onnx/plan.js';
import { graphFromModel } from '../../src/graph/index.js';
import { awayFromZero, bothGradients, oneHot, relErr, seedWeights, worst } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function withHead(input: tf.SymbolicTensor, out: tf.SymbolicTensor): tf.LayersModel {
  const flat = tf.layers.flatten({ name: 'flat' }).apply(out) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ name: 'head', units: 3 }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

async function check(
  model: tf.LayersModel,
  inputShape: number[],
  batch: number,
  seed: number,
): Promise<void> {
  seedWeights(model, seed);
  const xs = awayFromZero([batch, ...inputShape], seed + 1);
  const ys = oneHot(batch, 3, seed + 2);
  const { onnx, tfjs } = await bothGradients(model, xs, ys);
  const w = worst(onnx, tfjs);
  expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
  xs.dispose();
  ys.dispose();
}

describe('Conv2D gradients', () => {
  const cases: [number, number, 'same' | 'valid', number, number, boolean][] = [];
  let i = 0;
  for (const k of [1, 3, 5, 7]) {
    for (const s of [1, 2, 3]) {
      for (const padding of ['same', 'valid'] as const) {
        const size = i % 2 === 0 ? 9 : 10;
        const batch = i % 3 === 0 ? 1 : 3;
        cases.push([k, s, padding, size, batch, i % 2 === 1]);
        i++;
      }
    }
  }
  it.each(cases)(
    'kernel %i stride %i %s, %i-row input, batch %i, bias %s',
    async (k, s, padding, size, batch, bias) => {
      const input = tf.input({ shape: [size, size + 2, 3] });
      const out = tf.layers
        .conv2d({ name: 'conv', filters: 4, kernelSize: k, strides: s, padding, useBias: bias })
        .apply(input) as tf.SymbolicTensor;
      await check(withHead(input, out), [size, size + 2, 3], batch, 10 + k * 7 + s);
    },
  );

  // tf.js has no gradient for dilated convs: the reference is the same conv with the kernel spread out
  // (zeros between taps, no dilation), whose tf.js kernel gradient at the taps is the dilated one's.
  it.each([
    [2, 'same'],
    [3, 'valid'],
  ] as const)('dilation %i, %s (against the spread-out kernel)', async (d, padding) => {
    const build = (k: number, dilationRate: number) => {
      const input = tf.input({ shape: [11, 11, 2] });
      const out = tf.layers
        .conv2d({ name: 'conv', filters: 3, kernelSize: k, dilationRate, padding })
        .apply(input) as tf.SymbolicTensor;
      return withHead(input, out);
    };
    const dilated = build(3, d);
    const big = (3 - 1) * d + 1;
    const spread = build(big, 1);
    seedWeights(dilated, 7);
    const kernel = dilated.getLayer('conv').getWeights()[0].arraySync() as number[][][][];
    const wide = tf.buffer([big, big, 2, 3]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let c = 0; c < 2; c++)
          for (let o = 0; o < 3; o++) wide.set(kernel[i][j][c][o], i * d, j * d, c, o);
    spread.getLayer('conv').setWeights([wide.toTensor(), dilated.getLayer('conv').getWeights()[1]]);
    spread.getLayer('head').setWeights(dilated.getLayer('head').getWeights());
    const xs = awayFromZero([2, 11, 11, 2], 8);
    const ys = oneHot(2, 3, 9);
    const onnx = await bothGradients(dilated, xs, ys, {}, {}, 'onnx-only');
    const ref = await new TfjsEngine(spread, { loss: 'categorical-crossentropy' }).gradients(xs, ys);
    const taps = new Float32Array(3 * 3 * 2 * 3);
    const refKernel = ref.grads['conv/kernel'];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let c = 0; c < 6; c++) taps[(i * 3 + j) * 6 + c] = refKernel[(i * d * big + j * d) * 6 + c];
    expect(relErr(onnx.onnx.grads['conv/kernel'], taps)).toBeLessThanOrEqual(1e-4);
    for (const name of ['conv/bias', 'head/kernel', 'head/bias']) {
      expect(relErr(onnx.onnx.grads[name], ref.grads[name]), name).toBeLessThanOrEqual(1e-4);
    }
  });

  it('rectangular kernel and strides', async () => {
    const input = tf.input({ shape: [9, 8, 3] });
    const out = tf.layers
      .conv2d({ name: 'conv', filters: 5, kernelSize: [3, 1], strides: [2, 1], padding: 'same' })
      .apply(input) as tf.SymbolicTensor;
    await check(withHead(input, out), [9, 8, 3], 2, 6);
  });
});

describe('DepthwiseConv2D gradients', () => {
  const cases: [number, number, 'same' | 'valid', number, number][] = [];
  let i = 0;
  for (const k of [1, 3, 5]) {
    for (const s of [1, 2, 3]) {
      for (const m of [1, 2]) {
        cases.push([k, s, i % 2 === 0 ? 'same' : 'valid', m, i % 3 === 0 ? 1 : 2]);
        i++;
      }
    }
  }
  it.each(cases)('kernel %i stride %i %s, multiplier %i, batch %i', async (k, s, padding, m, batch) => {
    const input = tf.input({ shape: [9, 7, 3] });
    const out = tf.layers
      .depthwiseConv2d({
        name: 'dw',
        kernelSize: k,
        strides: s,
        padding,
        depthMultiplier: m,
        useBias: s !== 2,
      })
      .apply(input) as tf.SymbolicTensor;
    await check(withHead(input, out), [9, 7, 3], batch, 20 + k + s * 3 + m);
  });
});

describe('SeparableConv2D gradients', () => {
  it.each([
    [3, 1, 'same', 1],
    [3, 2, 'valid', 2],
    [5, 1, 'valid', 1],
    [1, 3, 'same', 2],
  ] as const)('kernel %i stride %i %s, multiplier %i', async (k, s, padding, m) => {
    const input = tf.input({ shape: [9, 9, 3] });
    const out = tf.layers
      .separableConv2d({ name: 'sep', filters: 4, kernelSize: k, strides: s, padding, depthMultiplier: m })
      .apply(input) as tf.SymbolicTensor;
    await check(withHead(input, out), [9, 9, 3], 2, 30 + k + s);
  });
});

// Channel counts that are multiples of onnxruntime's NCHWc block (8 or 16; detected at run time) take the
// blocked-conv path for the forward and stride-1 input-gradient convs; the widths here cover both blocks.
describe('Conv2D gradients on the NCHWc path', () => {
  it.each([
    [3, 16, 3, 1, 'same'],
    [16, 32, 3, 1, 'same'],
    [32, 16, 3, 2, 'same'],
    [16, 16, 1, 1, 'valid'],
    [8, 32, 5, 1, 'valid'],
  ] as const)('%i → %i channels, kernel %i stride %i %s', async (cin, cout, k, s, padding) => {
    const input = tf.input({ shape: [7, 7, cin] });
    const out = tf.layers
      .conv2d({ name: 'conv', filters: cout, kernelSize: k, strides: s, padding })
      .apply(input) as tf.SymbolicTensor;
    await check(withHead(input, out), [7, 7, cin], 2, 40 + cin + k);
  });
});

// Above PATCH_LIMIT floats of patches per example the filter gradients switch to the textbook conv form;
// a limit of 0 forces it here on small inputs.
describe('filter gradients without patches (textbook form)', () => {
  beforeAll(() => setPatchLimit(0));
  afterAll(() => setPatchLimit(PATCH_LIMIT));
  it('the limit switches the form (no one-hot patch filters fed)', () => {
    const input = tf.input({ shape: [11, 9, 3] });
    const out = tf.layers
      .conv2d({ name: 'conv', filters: 4, kernelSize: 3 })
      .apply(input) as tf.SymbolicTensor;
    const plan = planModel(graphFromModel(withHead(input, out)));
    const opt = {
      kind: 'sgd',
      momentum: 0,
      nesterov: false,
      beta1: 0,
      beta2: 0,
      epsilon: 0,
      weightDecay: 0,
    } as const;
    expect(compile(plan, 'grads', opt).constFeeds).toHaveLength(0);
    setPatchLimit(PATCH_LIMIT);
    expect(compile(plan, 'grads', opt).constFeeds.map((f) => f.name)).toEqual(['const:onehot3x3']);
    setPatchLimit(0);
  });
  it.each([
    ['Conv2D', 3, 1, 'same', 1],
    ['Conv2D', 3, 2, 'valid', 1],
    ['Conv2D', 5, 3, 'same', 1],
    ['Conv2D', 3, 1, 'same', 2],
    ['DepthwiseConv2D', 3, 1, 'same', 1],
    ['DepthwiseConv2D', 3, 2, 'same', 1],
    ['DepthwiseConv2D', 5, 3, 'valid', 1],
  ] as const)('%s kernel %i stride %i %s dilation %i', async (kind, k, strides, padding, d) => {
    const input = tf.input({ shape: [11, 9, 3] });
    const layer =
      kind === 'Conv2D'
        ? tf.layers.conv2d({ name: 'conv', filters: 4, kernelSize: k, strides, padding, dilationRate: d })
        : tf.layers.depthwiseConv2d({ name: 'conv', kernelSize: k, strides, padding, depthMultiplier: 2 });
    const out = layer.apply(input) as tf.SymbolicTensor;
    if (d === 1) {
      await check(withHead(input, out), [11, 9, 3], 2, 50 + strides + k);
      return;
    }
    // Dilated: compare with the patch form (itself checked against tf.js through the spread-out kernel).
    const model = withHead(input, out);
    seedWeights(model, 59);
    const xs = awayFromZero([2, 11, 9, 3], 60);
    const ys = oneHot(2, 3, 61);
    const textbook = (await bothGradients(model, xs, ys, {}, {}, 'onnx-only')).onnx;
    setPatchLimit(PATCH_LIMIT);
    const patches = (await bothGradients(model, xs, ys, {}, {}, 'onnx-only')).onnx;
    setPatchLimit(0);
    const w = worst(textbook, patches);
    expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
  });
});
