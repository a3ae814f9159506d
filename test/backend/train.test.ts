import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { buildZooModel, zooDefaults, zooNames } from '../../src/zoo/index.js';
import { seeded } from './helpers.js';

/** A fixed batch for a model's default input shape: seeded pixels, labels cycling through the classes. */
function fixedBatch(
  inputShape: number[],
  classes: number,
  n: number,
  seed: number,
): { xs: tf.Tensor; ys: tf.Tensor } {
  const size = n * inputShape.reduce((a, b) => a * b, 1);
  const xs = tf.tensor(seeded(size, seed), [n, ...inputShape]);
  const labels = tf.tensor1d(
    Array.from({ length: n }, (_, i) => (i * 7 + seed) % classes),
    'int32',
  );
  const ys = tf.oneHot(labels, classes).toFloat();
  labels.dispose();
  return { xs, ys };
}

/** Losses of `steps` training steps on one fixed batch (training-mode loss before each update). */
async function lossCurve(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  steps: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) out.push(Number(await model.trainOnBatch(xs, ys)));
  return out;
}

/** A small net with the layer kinds the zoo's bigger models use: depthwise, relu6, residual add, pooling. */
function mixedNet(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const input = tf.input({ shape: [9, 7, 3] });
  let x = tf.layers
    .conv2d({
      filters: 8,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      useBias: false,
      kernelInitializer: init(1),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ momentum: 0.9 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  let y = tf.layers
    .depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: init(2) })
    .apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum: 0.9 }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ activation: 'relu6' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers
    .conv2d({ filters: 8, kernelSize: 1, kernelInitializer: init(3) })
    .apply(y) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 5, activation: 'softmax', kernelInitializer: init(4) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('training on wasm', () => {
  const names = zooNames().filter((n) => !n.endsWith('-imagenet'));

  it.each(names)('zoo model %s: a few Adam steps on one batch lower the loss', async (name) => {
    await useBackend('wasm');
    const { inputShape, classes } = zooDefaults(name);
    const model = buildZooModel(name, { seed: 3 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const { xs, ys } = fixedBatch(inputShape, classes, 2, 11);
    const losses = await lossCurve(model, xs, ys, 3);
    expect(losses.every(Number.isFinite), `losses ${losses}`).toBe(true);
    expect(losses[2], `losses ${losses}`).toBeLessThan(losses[0]);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  const curveModels: [string, (seed: number) => tf.LayersModel, number[], number][] = [
    ['zoo tiny', (seed) => buildZooModel('tiny', { seed }), zooDefaults('tiny').inputShape, 10],
    ['depthwise/relu6/residual net', mixedNet, [9, 7, 3], 5],
  ];
  it.each(curveModels)(
    '%s: the loss curve on wasm matches cpu for the first steps',
    async (_, build, shape, classes) => {
      const curve = async (backend: 'cpu' | 'wasm'): Promise<number[]> => {
        await useBackend(backend);
        const model = build(5);
        model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
        const { xs, ys } = fixedBatch(shape, classes, 6, 13);
        const losses = await lossCurve(model, xs, ys, 6);
        tf.dispose([xs, ys]);
        model.dispose();
        return losses;
      };
      const ref = await curve('cpu');
      const got = await curve('wasm');
      expect(ref[5]).toBeLessThan(ref[0]);
      for (let i = 0; i < ref.length; i++) {
        expect(
          Math.abs(got[i] - ref[i]) / Math.abs(ref[i]),
          `step ${i}: ${got[i]} vs ${ref[i]}`,
        ).toBeLessThan(1e-4);
      }
    },
  );

  it('leaks no tensors: tf.memory().numTensors is flat over 200 steps', async () => {
    await useBackend('wasm');
    const model = mixedNet(9);
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
    const { xs, ys } = fixedBatch([9, 7, 3], 5, 4, 17);
    await lossCurve(model, xs, ys, 5); // optimizer slots are created on the first steps
    const counts: number[] = [];
    for (let i = 0; i < 200; i++) {
      await model.trainOnBatch(xs, ys);
      if (i % 50 === 49) counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size, `numTensors ${counts}`).toBe(1);
    const bytes = tf.memory().numBytes;
    await lossCurve(model, xs, ys, 20);
    expect(tf.memory().numBytes).toBe(bytes);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
