/**
 * The two engines agree: the same model and batches (two, alternating) give the same losses for 20 steps, and the same
 * weights and BN moving statistics after them (SGD+momentum, Nesterov with weight decay, Adam), on tf.js's
 * cpu backend. Also: `evaluate` agrees, and `syncTo` writes the onnx engine's state into a tf.js model.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, TfjsEngine, type EngineOptions } from '../../src/engine/index.js';
import { awayFromZero, oneHot, relErr, seedWeights } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(softmax: boolean): tf.LayersModel {
  const input = tf.input({ shape: [10, 10, 3] });
  let x = tf.layers
    .conv2d({ name: 'stem', filters: 6, kernelSize: 3, padding: 'same', useBias: false })
    .apply(input);
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x);
  x = tf.layers.reLU({ name: 'stem_relu' }).apply(x);
  x = tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }).apply(x);
  const a = tf.layers
    .conv2d({ name: 'c1', filters: 6, kernelSize: 3, padding: 'same', useBias: false })
    .apply(x);
  x = tf.layers.add({ name: 'res' }).apply([x, a] as tf.SymbolicTensor[]);
  x = tf.layers.batchNormalization({ name: 'c1_bn', momentum: 0.9 }).apply(x);
  x = tf.layers.activation({ name: 'c1_relu', activation: 'relu' }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
  const out = tf.layers.dense({ name: 'fc', units: 5, activation: softmax ? 'softmax' : 'linear' }).apply(x);
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
}

async function weightsOf(model: tf.LayersModel): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      out.set(`${layer.name}/${w.originalName.split('/').pop()}`, (await w.read().data()) as Float32Array);
    }
  }
  return out;
}

describe('onnx and tfjs engines agree for 20 steps', () => {
  it.each([
    ['SGD momentum 0.9', { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9 }, true],
    [
      'SGD Nesterov + weight decay',
      { optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-3 },
      false,
    ],
    ['Adam', { optimizer: 'adam', learningRate: 0.01 }, false],
  ] as [string, EngineOptions, boolean][])('%s', async (_name, options, softmax) => {
    const a = net(softmax);
    const b = net(softmax);
    seedWeights(a, 1);
    seedWeights(b, 1);
    const onnx = await createEngine(a, {
      ...options,
      loss: 'categorical-crossentropy',
      engine: 'onnx',
      threads: 1,
    });
    const ref = new TfjsEngine(b, { ...options, loss: 'categorical-crossentropy' });
    expect(onnx.kind).toBe('onnx');
    const lossesA: number[] = [];
    const lossesB: number[] = [];
    for (let s = 0; s < 20; s++) {
      const xs = awayFromZero([8, 10, 10, 3], 100 + (s % 2));
      const ys = oneHot(8, 5, 200 + (s % 2));
      lossesA.push(await onnx.step(xs, ys));
      lossesB.push(await ref.step(xs, ys));
      xs.dispose();
      ys.dispose();
    }
    for (let s = 0; s < 20; s++)
      expect(Math.abs(lossesA[s] - lossesB[s]) / lossesB[s], `step ${s}`).toBeLessThan(1e-4);
    expect(lossesA[18]).toBeLessThan(lossesA[0]); // it learns the two batches
    await onnx.syncTo(a);
    const wa = await weightsOf(a);
    const wb = await weightsOf(b);
    for (const [name, v] of wb) expect(relErr(wa.get(name)!, v), name).toBeLessThan(1e-4);
    const xs = awayFromZero([8, 10, 10, 3], 300);
    const ys = oneHot(8, 5, 301);
    const ea = await onnx.evaluate(xs, ys);
    const eb = await ref.evaluate(xs, ys);
    expect(Math.abs(ea.loss - eb.loss) / eb.loss).toBeLessThan(1e-4);
    expect(ea.accuracy).toBe(eb.accuracy);
    onnx.dispose();
    ref.dispose();
  });
});

describe('weight()', () => {
  it('reads the same values from both engines and from the model', async () => {
    const a = net(false);
    seedWeights(a, 4);
    const onnx = await createEngine(a, { engine: 'onnx', threads: 1, loss: 'categorical-crossentropy' });
    const ref = new TfjsEngine(a, { loss: 'categorical-crossentropy' });
    const fromModel = await weightsOf(a);
    for (const name of ['stem/kernel', 'stem_bn/gamma', 'stem_bn/moving_variance', 'fc/kernel']) {
      expect(onnx.weight!(name)).toEqual(fromModel.get(name));
      expect(ref.weight(name)).toEqual(fromModel.get(name));
    }
    expect(() => onnx.weight!('nope/kernel')).toThrow(/no weight/);
    onnx.dispose();
  });
});
