/** Choosing the engine: `auto` falls back to tfjs with a one-line notice naming the layer; `onnx` refuses. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MorphnetError } from '../../src/errors.js';
import { createEngine, onnxUnsupportedReason } from '../../src/engine/index.js';
import { awayFromZero, oneHot, seedWeights } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(unsupported: boolean): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 2] });
  let x = tf.layers.conv2d({ name: 'stem', filters: 4, kernelSize: 3, padding: 'same' }).apply(input);
  if (unsupported)
    x = tf.layers.conv2dTranspose({ name: 'up', filters: 3, kernelSize: 2, strides: 2 }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
  const out = tf.layers.dense({ name: 'fc', units: 3, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('engine choice', () => {
  it('auto trains a model with an unsupported layer on tfjs and says why in one line', async () => {
    const model = net(true);
    seedWeights(model, 1);
    const notices: string[] = [];
    const engine = await createEngine(model, { onNotice: (l) => notices.push(l), learningRate: 0.1 });
    expect(engine.kind).toBe('tfjs');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/"up" \(Conv2DTranspose\)/);
    expect(notices[0]).not.toContain('\n');
    const xs = awayFromZero([4, 6, 6, 2], 2);
    const ys = oneHot(4, 3, 3);
    const first = await engine.step(xs, ys);
    let last = first;
    for (let i = 0; i < 5; i++) last = await engine.step(xs, ys);
    expect(last).toBeLessThan(first);
    engine.dispose();
  });

  it('explicit onnx on an unsupported model is an error naming the layer', async () => {
    const model = net(true);
    await expect(createEngine(model, { engine: 'onnx' })).rejects.toThrow(MorphnetError);
    await expect(createEngine(model, { engine: 'onnx' })).rejects.toThrow(/"up" \(Conv2DTranspose\)/);
    expect(onnxUnsupportedReason(model)).toMatch(/Conv2DTranspose/);
  });

  it('auto picks onnx for a supported model, silently; tfjs when asked', async () => {
    const model = net(false);
    const notices: string[] = [];
    const auto = await createEngine(model, { onNotice: (l) => notices.push(l) });
    expect(auto.kind).toBe('onnx');
    expect(onnxUnsupportedReason(model)).toBeNull();
    auto.dispose();
    const explicit = await createEngine(model, { engine: 'tfjs', onNotice: (l) => notices.push(l) });
    expect(explicit.kind).toBe('tfjs');
    expect(notices).toEqual([]);
  });
});
