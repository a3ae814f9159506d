/**
 * Gradient equality of every non-conv emitter: the onnx engine's `gradients()` against `tf.variableGrads`
 * on tf.js's cpu backend, relative error ≤ 1e-4. Activations are applied to the model input itself, drawn
 * from ±[0.05, 1.05), so every ReLU-like kink sees identical inputs on both sides (no mask can flip).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfjsEngine } from '../../src/engine/index.js';
import { dropoutMask, mulberry32 } from '../../src/engine/onnx/random.js';
import {
  awayFromZero,
  bothGradients,
  chainGradients,
  oneHot,
  relErr,
  seedWeights,
  worst,
} from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Build = (x: tf.SymbolicTensor) => tf.SymbolicTensor;

/** Input → body → [Flatten] → Dense(3) logits (or a softmax output when asked). */
function model(inputShape: number[], body: Build, softmax = false): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  let y = body(input);
  if (y.shape.length > 2) y = tf.layers.flatten({ name: 'flat' }).apply(y) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ name: 'head', units: 3, activation: softmax ? 'softmax' : 'linear' })
    .apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function check(m: tf.LayersModel, batch: number, seed: number, amplitude = 1): Promise<void> {
  seedWeights(m, seed);
  const shape = m.inputs[0].shape.slice(1) as number[];
  const xs = tf.mul(awayFromZero([batch, ...shape], seed + 1, 0.05 / amplitude), amplitude);
  const ys = oneHot(batch, 3, seed + 2);
  const { onnx, tfjs } = await bothGradients(m, xs, ys);
  const w = worst(onnx, tfjs);
  expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
  xs.dispose();
  ys.dispose();
}

const conv =
  (name: string, filters = 4, kernelSize = 3): Build =>
  (x) =>
    tf.layers.conv2d({ name, filters, kernelSize, padding: 'same' }).apply(x) as tf.SymbolicTensor;

describe('Dense gradients', () => {
  it.each([
    [1, 'linear', false],
    [4, 'linear', true],
    [3, 'relu', false],
    [5, 'tanh', true],
  ] as const)('batch %i, activation %s, softmax output %s', async (batch, activation, softmax) => {
    const m = model(
      [6],
      (x) => tf.layers.dense({ name: 'fc', units: 5, activation }).apply(x) as tf.SymbolicTensor,
      softmax,
    );
    await check(m, batch, 40 + batch);
  });
  it('without bias', async () => {
    const m = model(
      [7],
      (x) => tf.layers.dense({ name: 'fc', units: 4, useBias: false }).apply(x) as tf.SymbolicTensor,
    );
    await check(m, 3, 45);
  });
});

const convNoBias =
  (name: string): Build =>
  (x) =>
    tf.layers
      .conv2d({ name, filters: 4, kernelSize: 3, padding: 'same', useBias: false })
      .apply(x) as tf.SymbolicTensor;

describe('BatchNormalization gradients', () => {
  it.each([
    [1, 7],
    [4, 6],
    [2, 5],
  ] as const)('batch %i, %i×%i input', async (batch, size) => {
    const m = model(
      [size, size, 3],
      (x) =>
        tf.layers
          .batchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-3 })
          .apply(convNoBias('conv')(x)) as tf.SymbolicTensor,
    );
    await check(m, batch, 50 + batch);
  });
  it('after a Dense layer (rank 2)', async () => {
    const m = model(
      [6],
      (x) =>
        tf.layers
          .batchNormalization({ name: 'bn' })
          .apply(tf.layers.dense({ name: 'fc', units: 5, useBias: false }).apply(x)) as tf.SymbolicTensor,
    );
    await check(m, 5, 55);
  });
  // tf.js cannot train a BN layer without γ or β (it reads the missing weight); the reference is the same
  // model with γ = 1 / β = 0 present, compared on every other weight.
  it.each([
    [false, true],
    [true, false],
  ])('scale %s, center %s (against γ = 1 / β = 0)', async (scale, center) => {
    const make = (s: boolean, c: boolean) =>
      model(
        [5, 5, 3],
        (x) =>
          tf.layers
            .batchNormalization({ name: 'bn', scale: s, center: c })
            .apply(convNoBias('conv')(x)) as tf.SymbolicTensor,
      );
    const m = make(scale, center);
    const ref = make(true, true);
    seedWeights(m, 56);
    ref.getLayer('conv').setWeights(m.getLayer('conv').getWeights());
    ref.getLayer('head').setWeights(m.getLayer('head').getWeights());
    const bn = m.getLayer('bn').getWeights();
    const gamma = scale ? bn[0] : tf.ones([4]);
    const beta = center ? bn[scale ? 1 : 0] : tf.zeros([4]);
    ref.getLayer('bn').setWeights([gamma, beta, ...bn.slice(-2)]);
    const xs = awayFromZero([3, 5, 5, 3], 57);
    const ys = oneHot(3, 3, 58);
    const { onnx } = await bothGradients(m, xs, ys, {}, {}, 'onnx-only');
    const reference = await new TfjsEngine(ref, { loss: 'categorical-crossentropy' }).gradients(xs, ys);
    for (const name of Object.keys(onnx.grads)) {
      expect(relErr(onnx.grads[name], reference.grads[name]), name).toBeLessThanOrEqual(1e-4);
    }
    expect(Object.keys(onnx.grads).sort()).toEqual(
      ['conv/kernel', 'head/bias', 'head/kernel', scale ? 'bn/gamma' : 'bn/beta'].sort(),
    );
  });
});

describe('activation gradients (Activation layer on the input)', () => {
  const names = [
    'relu',
    'relu6',
    'elu',
    'selu',
    'sigmoid',
    'hardSigmoid',
    'tanh',
    'softmax',
    'softplus',
    'softsign',
    'swish',
    'mish',
    'gelu',
    'linear',
  ];
  it.each(names)('%s', async (activation) => {
    const m = model(
      [4, 5, 3],
      (x) =>
        tf.layers.activation({ name: 'act', activation: activation as 'relu' }).apply(x) as tf.SymbolicTensor,
    );
    await check(m, 2, 60);
  });
  it.each(['relu6', 'hardSigmoid'] as const)(
    '%s over its clipped range (inputs in ±[0.05, 9))',
    async (activation) => {
      const m = model(
        [4, 5, 3],
        (x) => tf.layers.activation({ name: 'act', activation }).apply(x) as tf.SymbolicTensor,
      );
      await check(m, 2, 61, 8);
    },
  );
  it.each([
    ['ReLU', () => tf.layers.reLU({ name: 'act' })],
    ['ReLU max 0.7', () => tf.layers.reLU({ name: 'act', maxValue: 0.7 })],
    ['LeakyReLU', () => tf.layers.leakyReLU({ name: 'act', alpha: 0.2 })],
    ['ELU', () => tf.layers.elu({ name: 'act' })],
    ['Softmax', () => tf.layers.softmax({ name: 'act', axis: -1 })],
  ] as const)('%s layer', async (_name, make) => {
    const m = model([3, 4, 5], (x) => make().apply(x) as tf.SymbolicTensor);
    await check(m, 3, 62);
  });
  it('Softmax layer as the model output (probabilities)', async () => {
    const input = tf.input({ shape: [6] });
    const logits = tf.layers.dense({ name: 'fc', units: 3 }).apply(input);
    const out = tf.layers.softmax({ name: 'sm' }).apply(logits) as tf.SymbolicTensor;
    await check(tf.model({ inputs: input, outputs: out }), 4, 63);
  });
});

describe('pooling gradients', () => {
  const cases: [string, number, number, 'same' | 'valid', number][] = [];
  for (const kind of ['max', 'avg']) {
    for (const [pool, stride, padding] of [
      [2, 2, 'valid'],
      [3, 2, 'same'],
      [3, 1, 'valid'],
      [2, 3, 'same'],
      [3, 3, 'valid'],
    ] as const) {
      cases.push([kind, pool, stride, padding, stride === 1 ? 1 : 2]);
    }
  }
  it.each(cases)('%s pool %i stride %i %s batch %i', async (kind, poolSize, strides, padding, batch) => {
    const make = kind === 'max' ? tf.layers.maxPooling2d : tf.layers.averagePooling2d;
    const m = model(
      [9, 7, 3],
      (x) => make({ name: 'pool', poolSize, strides, padding }).apply(conv('conv')(x)) as tf.SymbolicTensor,
    );
    if (kind === 'max' || padding === 'valid') {
      await check(m, batch, 70 + poolSize + strides);
      return;
    }
    // tf.js's AvgPoolGrad divides by the full window at padded borders while its forward excludes the
    // padding; the reference recomposes the pool as a depthwise sum over the real pixels / their count.
    seedWeights(m, 70 + poolSize + strides);
    const xs = awayFromZero([batch, 9, 7, 3], 71);
    const ys = oneHot(batch, 3, 72);
    const avg = (x: tf.Tensor) => {
      const ones = tf.ones([poolSize, poolSize, 4, 1]);
      const sum = tf.depthwiseConv2d(x as tf.Tensor4D, ones as tf.Tensor4D, strides, 'same');
      const count = tf.depthwiseConv2d(tf.onesLike(x) as tf.Tensor4D, ones as tf.Tensor4D, strides, 'same');
      return tf.div(sum, count);
    };
    const { onnx } = await bothGradients(m, xs, ys, {}, {}, 'onnx-only');
    const w = worst(onnx, chainGradients(m, xs, ys, { pool: avg }));
    expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
  });
  it.each([
    ['avg', false],
    ['avg', true],
    ['max', false],
    ['max', true],
  ] as const)('global %s pool, keepdims %s', async (kind, keepDims) => {
    const make = kind === 'avg' ? tf.layers.globalAveragePooling2d : tf.layers.globalMaxPooling2d;
    const m = model(
      [5, 6, 4],
      (x) => make({ name: 'gp', keepDims } as { name: string }).apply(conv('conv')(x)) as tf.SymbolicTensor,
    );
    await check(m, 3, 80);
  });
});

describe('merge and shape-layer gradients', () => {
  const merges = {
    Add: () => tf.layers.add({ name: 'merge' }),
    Multiply: () => tf.layers.multiply({ name: 'merge' }),
    Average: () => tf.layers.average({ name: 'merge' }),
    Maximum: () => tf.layers.maximum({ name: 'merge' }),
    Minimum: () => tf.layers.minimum({ name: 'merge' }),
    Concatenate: () => tf.layers.concatenate({ name: 'merge' }),
  };
  it.each(Object.keys(merges))('%s', async (name) => {
    const m = model([5, 5, 3], (x) => {
      const a = conv('a')(x);
      const b = conv('b', 4, 1)(x);
      const inputs = [a, b, conv('c', 4, 3)(a)];
      return merges[name as keyof typeof merges]().apply(inputs) as tf.SymbolicTensor;
    });
    await check(m, 2, 90);
  });
  it('Concatenate on the width axis', async () => {
    const m = model(
      [5, 5, 3],
      (x) =>
        tf.layers
          .concatenate({ name: 'merge', axis: 2 })
          .apply([conv('a')(x), conv('b', 4, 1)(x)]) as tf.SymbolicTensor,
    );
    await check(m, 2, 91);
  });
  it('a tensor used by several layers (gradients summed)', async () => {
    const m = model([5, 5, 3], (x) => {
      const a = conv('a')(x);
      return tf.layers.add({ name: 'res' }).apply([a, conv('b')(a)]) as tf.SymbolicTensor;
    });
    await check(m, 2, 92);
  });
  it.each([
    [
      'ZeroPadding2D',
      () =>
        tf.layers.zeroPadding2d({
          name: 'shape',
          padding: [
            [1, 2],
            [0, 3],
          ],
        }),
    ],
    [
      'Cropping2D',
      () =>
        tf.layers.cropping2D({
          name: 'shape',
          cropping: [
            [1, 0],
            [2, 1],
          ],
        }),
    ],
    ['UpSampling2D', () => tf.layers.upSampling2d({ name: 'shape', size: [2, 3] })],
    ['Reshape (spatial)', () => tf.layers.reshape({ name: 'shape', targetShape: [7, 5, 4] })],
    ['Reshape (rank 2)', () => tf.layers.reshape({ name: 'shape', targetShape: [140] })],
  ] as const)('%s', async (name, make) => {
    const m = model([5, 7, 4], (x) => {
      const y = make().apply(conv('a')(x)) as tf.SymbolicTensor;
      return y.shape.length === 4 ? conv('b', 3)(y) : y;
    });
    if (name !== 'UpSampling2D') {
      await check(m, 2, 93);
      return;
    }
    // tf.js's ResizeNearestNeighborGrad is approximate for non-square factors; the reference repeats
    // pixels with reshape + tile instead.
    seedWeights(m, 93);
    const xs = awayFromZero([2, 5, 7, 4], 94);
    const ys = oneHot(2, 3, 95);
    const up = (x: tf.Tensor) => {
      const rows = tf.reshape(tf.tile(tf.reshape(x, [10, 1, 7, 4]), [1, 2, 1, 1]), [2 * 10 * 7, 1, 4]);
      return tf.reshape(tf.tile(rows, [1, 3, 1]), [2, 10, 21, 4]);
    };
    const { onnx } = await bothGradients(m, xs, ys, {}, {}, 'onnx-only');
    const w = worst(onnx, chainGradients(m, xs, ys, { shape: up }));
    expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
  });
});

describe('Dropout gradients (mask pinned)', () => {
  // The onnx engine draws its masks from mulberry32(seed); the reference multiplies by the same mask.
  it.each([
    [[6], 0.5],
    [[4, 5, 3], 0.3],
  ] as const)('input %j, rate %f', async (shape, rate) => {
    const m = model([...shape], (x) => {
      const y = shape.length === 1 ? tf.layers.dense({ name: 'fc', units: 8 }).apply(x) : conv('fc')(x);
      return tf.layers.dropout({ name: 'drop', rate }).apply(y) as tf.SymbolicTensor;
    });
    seedWeights(m, 96);
    const batch = 3;
    const xs = awayFromZero([batch, ...shape], 97);
    const ys = oneHot(batch, 3, 98);
    const { onnx } = await bothGradients(m, xs, ys, { seed: 42 }, {}, 'onnx-only');
    const inner = shape.length === 1 ? [8] : [4, shape[0], shape[1]]; // graph layout: NCHW
    const size = batch * inner.reduce((a, b) => a * b, 1);
    let mask = tf.tensor(dropoutMask(mulberry32(42), size, rate), [batch, ...inner]);
    if (shape.length === 3) mask = tf.transpose(mask, [0, 2, 3, 1]);
    const w = worst(onnx, chainGradients(m, xs, ys, { drop: (x) => tf.mul(x, mask) }));
    expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
    // Without the mask the reference differs: the pinned mask is what makes them agree.
    expect(worst(onnx, chainGradients(m, xs, ys, {})).err).toBeGreaterThan(1e-2);
  });
});
