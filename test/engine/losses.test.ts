/**
 * The four losses in both engines. Gradients: the onnx engine's against `tf.variableGrads` through the
 * tfjs engine on tf.js's cpu backend (relative error ≤ 1e-4), over the gradient grid's layer families (no
 * conv bias before BN: its true gradient is 0, so its relative error is noise) and
 * every output kind a loss accepts. Values: `evaluate` against the formula computed by hand in plain JS
 * from `model.predict` (Keras' definitions: mean over units and batch; binary accuracy at 0.5). Defaults
 * follow the output layer; other outputs are refused with one sentence naming the `loss` option. A tiny
 * MSE regression lowers its loss on both engines.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, TfjsEngine, type Engine, type LossName } from '../../src/engine/index.js';
import { MorphnetError } from '../../src/errors.js';
import { awayFromZero, bothGradients, oneHot, rng, seedWeights, worst } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Body = (x: tf.SymbolicTensor) => tf.SymbolicTensor;

/** The grid's layer families as bodies: dense, conv + BN + ReLU + max-pool, depthwise + global pooling. */
const BODIES: Record<string, { input: number[]; body: Body }> = {
  dense: {
    input: [6],
    body: (x) => tf.layers.dense({ name: 'fc', units: 5, activation: 'tanh' }).apply(x) as tf.SymbolicTensor,
  },
  conv: {
    input: [6, 6, 2],
    body: (x) => {
      let y = tf.layers
        .conv2d({ name: 'c', filters: 4, kernelSize: 3, padding: 'same', useBias: false })
        .apply(x);
      y = tf.layers.batchNormalization({ name: 'bn' }).apply(y);
      y = tf.layers.activation({ name: 'r', activation: 'relu' }).apply(y);
      y = tf.layers.maxPooling2d({ name: 'p', poolSize: 2 }).apply(y);
      return tf.layers.flatten({ name: 'f' }).apply(y) as tf.SymbolicTensor;
    },
  },
  depthwise: {
    input: [5, 5, 3],
    body: (x) => {
      const y = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same' }).apply(x);
      return tf.layers.globalAveragePooling2d({ name: 'g' }).apply(y) as tf.SymbolicTensor;
    },
  },
};

function net(body: keyof typeof BODIES, units: number, activation: string): tf.LayersModel {
  const { input, body: build } = BODIES[body];
  const x = tf.input({ shape: input });
  const out = tf.layers
    .dense({ name: 'head', units, activation: activation as 'linear' })
    .apply(build(x)) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: out });
}

/** Targets for a loss: one-hot, 0/1 per unit, or real values. */
function targets(loss: LossName, n: number, units: number, seed: number): tf.Tensor {
  if (loss === 'categorical-crossentropy') return oneHot(n, units, seed);
  const r = rng(seed);
  const data = Float32Array.from({ length: n * units }, () =>
    loss === 'binary-crossentropy' ? (r() < 0.5 ? 0 : 1) : 2 * r() - 1,
  );
  return tf.tensor(data, [n, units]);
}

/** (loss, output activation, units): every output kind each loss accepts. */
const CASES: [LossName, string, number][] = [
  ['categorical-crossentropy', 'softmax', 4],
  ['categorical-crossentropy', 'linear', 4],
  ['binary-crossentropy', 'sigmoid', 1],
  ['binary-crossentropy', 'sigmoid', 3],
  ['binary-crossentropy', 'linear', 3],
  ['mse', 'linear', 3],
  ['mse', 'tanh', 2],
  ['mae', 'linear', 3],
  ['mae', 'sigmoid', 2],
];

describe('loss gradients: onnx equals tf.js (cpu)', () => {
  for (const body of Object.keys(BODIES)) {
    it.each(CASES)(`${body}: %s on a %s output of %i units`, async (loss, activation, units) => {
      const model = net(body, units, activation);
      seedWeights(model, 7);
      const xs = awayFromZero([4, ...BODIES[body].input], 8);
      const ys = targets(loss, 4, units, 9);
      const { onnx, tfjs } = await bothGradients(model, xs, ys, { loss });
      const w = worst(onnx, tfjs);
      expect(w.err, `worst: ${w.name}`).toBeLessThanOrEqual(1e-4);
      expect(onnx.loss).toBeGreaterThan(0);
      xs.dispose();
      ys.dispose();
    });
  }
});

/** The loss and accuracy of a batch by hand, from the model's predictions (Keras' definitions). */
function byHand(loss: LossName, p: Float32Array, y: Float32Array, units: number): [number, number] {
  const n = p.length / units;
  let total = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let label = 0;
    for (let k = 0; k < units; k++) {
      const j = i * units + k;
      const e = p[j] - y[j];
      if (loss === 'categorical-crossentropy') total -= y[j] * Math.log(p[j]);
      if (loss === 'binary-crossentropy') {
        total -= (y[j] * Math.log(p[j]) + (1 - y[j]) * Math.log(1 - p[j])) / units;
        hits += (p[j] > 0.5 ? 1 : 0) === y[j] ? 1 / units : 0;
      }
      if (loss === 'mse') total += (e * e) / units;
      if (loss === 'mae') total += Math.abs(e) / units;
      if (p[j] > p[i * units + best]) best = k;
      if (y[j] > y[i * units + label]) label = k;
    }
    if (loss === 'categorical-crossentropy') hits += best === label ? 1 : 0;
  }
  return [total / n, hits / n];
}

describe('evaluate: the loss and accuracy Keras defines', () => {
  it.each([
    ['categorical-crossentropy', 'softmax', 4],
    ['binary-crossentropy', 'sigmoid', 1],
    ['binary-crossentropy', 'sigmoid', 3],
    ['mse', 'linear', 3],
    ['mae', 'tanh', 2],
  ] as [LossName, string, number][])('%s on %s × %i', async (loss, activation, units) => {
    const model = net('conv', units, activation);
    seedWeights(model, 21);
    const xs = awayFromZero([6, ...BODIES.conv.input], 22);
    const ys = targets(loss, 6, units, 23);
    const p = (model.predict(xs) as tf.Tensor).dataSync() as Float32Array;
    const [wantLoss, wantAccuracy] = byHand(loss, p, ys.dataSync() as Float32Array, units);
    for (const kind of ['onnx', 'tfjs'] as const) {
      const engine = await createEngine(model, { engine: kind, loss, threads: 1 });
      const got = await engine.evaluate(xs, ys);
      expect(got.loss, kind).toBeCloseTo(wantLoss, 5);
      if (loss === 'mse' || loss === 'mae') expect(got.accuracy, kind).toBeNaN();
      else expect(got.accuracy, kind).toBeCloseTo(wantAccuracy, 6);
      engine.dispose();
    }
    xs.dispose();
    ys.dispose();
  });
});

describe('the default loss follows the output layer', () => {
  it.each([
    ['softmax', 4, 'categorical-crossentropy'],
    ['sigmoid', 1, 'binary-crossentropy'],
  ] as const)('%s × %i → %s, in both engines', async (activation, units, want) => {
    for (const kind of ['onnx', 'tfjs'] as const) {
      const engine = await createEngine(net('dense', units, activation), { engine: kind, threads: 1 });
      expect(engine.loss).toBe(want);
      engine.dispose();
    }
  });

  it.each([
    ['linear', 4, undefined, /output layer "head" \(linear, 4 units\) does not say which loss.*loss option/],
    ['sigmoid', 3, undefined, /"head" \(sigmoid, 3 units\) does not say which loss/],
    ['relu', 1, undefined, /"head" \(relu, 1 unit\) does not say/],
    ['sigmoid', 4, 'categorical-crossentropy', /needs a softmax or linear \(logits\) output/],
    ['softmax', 4, 'binary-crossentropy', /needs a sigmoid or linear \(logits\) output/],
    ['linear', 1, 'categorical-crossentropy', /at least 2 output units/],
    ['linear', 2, 'hinge', /unknown loss "hinge"/],
  ] as const)('refuses %s × %i with loss %s', async (activation, units, loss, message) => {
    for (const kind of ['onnx', 'tfjs', 'auto'] as const) {
      const model = net('dense', units, activation);
      const attempt = createEngine(model, { engine: kind, loss: loss as LossName | undefined });
      await expect(attempt).rejects.toThrow(MorphnetError);
      await expect(createEngine(model, { engine: kind, loss: loss as LossName })).rejects.toThrow(message);
    }
  });
});

describe('regression', () => {
  /** y = A·x + b for a fixed A, b: a linear net must fit it. */
  function regressionBatch(seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
    const r = rng(seed);
    const x = Float32Array.from({ length: 32 * 4 }, () => 2 * r() - 1);
    const y = new Float32Array(32 * 2);
    for (let i = 0; i < 32; i++) {
      y[i * 2] = x[i * 4] - 0.5 * x[i * 4 + 1] + 0.3;
      y[i * 2 + 1] = 0.8 * x[i * 4 + 2] + x[i * 4 + 3] - 0.2;
    }
    return { xs: tf.tensor(x, [32, 4]), ys: tf.tensor(y, [32, 2]) };
  }

  it.each(['onnx', 'tfjs'] as const)('a tiny MSE run lowers its loss (%s)', async (kind) => {
    const x = tf.input({ shape: [4] });
    const h = tf.layers.dense({ name: 'h', units: 8, activation: 'tanh' }).apply(x);
    const out = tf.layers.dense({ name: 'out', units: 2 }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: out });
    seedWeights(model, 31);
    const engine: Engine = await createEngine(model, {
      engine: kind,
      loss: 'mse',
      learningRate: 0.05,
      threads: 1,
    });
    const test = regressionBatch(99);
    const before = (await engine.evaluate(test.xs, test.ys)).loss;
    for (let s = 0; s < 150; s++) {
      const { xs, ys } = regressionBatch(s);
      await engine.step(xs, ys);
      xs.dispose();
      ys.dispose();
    }
    const after = (await engine.evaluate(test.xs, test.ys)).loss;
    expect(after).toBeLessThan(before / 10);
    engine.dispose();
  });

  it('the tfjs engine takes targets in a spatial output shape (mse on a conv output)', async () => {
    const x = tf.input({ shape: [4, 4, 2] });
    const out = tf.layers.conv2d({ name: 'c', filters: 3, kernelSize: 3, padding: 'same' }).apply(x);
    const model = tf.model({ inputs: x, outputs: out as tf.SymbolicTensor });
    seedWeights(model, 41);
    const xs = awayFromZero([2, 4, 4, 2], 42);
    const ys = awayFromZero([2, 4, 4, 3], 43);
    const engine = new TfjsEngine(model, { loss: 'mse' });
    const p = (model.predict(xs) as tf.Tensor).dataSync() as Float32Array;
    const y = ys.dataSync() as Float32Array;
    const want = p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / p.length;
    expect((await engine.evaluate(xs, ys)).loss).toBeCloseTo(want, 5);
    await expect(engine.evaluate(xs, awayFromZero([2, 4, 4, 2], 44))).rejects.toThrow(
      /targets have shape \[2, 4, 4, 2\], the model's output is \[2, 4, 4, 3\]/,
    );
    engine.dispose();
  });
});
