/**
 * Optimizer state export/import: an engine that steps, exports its state, and a fresh engine over a copy
 * of its model that imports it, then both step on the same batches: their weights are equal to the bit
 * (both engines; SGD momentum, Nesterov, Adam). Without the import they differ (the state matters).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/index.js';
import { awayFromZero, oneHot, seedWeights } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function net(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 2] });
  let x = tf.layers
    .conv2d({ name: 'c1', filters: 4, kernelSize: 3, padding: 'same', useBias: false })
    .apply(input);
  x = tf.layers.batchNormalization({ name: 'c1_bn' }).apply(x);
  x = tf.layers.reLU({ name: 'c1_relu' }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
  const out = tf.layers.dense({ name: 'fc', units: 3 }).apply(x);
  const m = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
  seedWeights(m, 7);
  return m;
}

const batches = [0, 1].map((i) => ({ xs: awayFromZero([8, 6, 6, 2], 10 + i), ys: oneHot(8, 3, 20 + i) }));
afterAll(() => batches.forEach((b) => (b.xs.dispose(), b.ys.dispose())));

const names = ['c1/kernel', 'c1_bn/gamma', 'c1_bn/beta', 'c1_bn/moving_mean', 'fc/kernel', 'fc/bias'];

async function steps(engine: Engine, from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) await engine.step(batches[i % 2].xs, batches[i % 2].ys);
}

const cases: [string, EngineOptions][] = [
  ['SGD momentum 0.9', { learningRate: 0.05 }],
  ['Nesterov with weight decay', { learningRate: 0.05, nesterov: true, weightDecay: 1e-3 }],
  ['Adam', { optimizer: 'adam', learningRate: 0.01 }],
];

describe.each(['onnx', 'tfjs'] as const)('%s engine optimizer state', (kind) => {
  it.each(cases)('export → import into a fresh engine resumes exactly (%s)', async (_, opt) => {
    const options: EngineOptions = { ...opt, engine: kind, threads: 1, loss: 'categorical-crossentropy' };
    const a = await createEngine(net(), options);
    expect(a.kind).toBe(kind);
    a.setExtraGradient({ 'c1_bn/gamma': new Float32Array(4).fill(0.01) });
    await steps(a, 0, 3);
    const state = await a.exportOptimizerState();
    expect(state['#step']).toEqual(Float32Array.of(3));
    const slots = opt.optimizer === 'adam' ? ['#m', '#v'] : ['#velocity'];
    for (const s of slots) expect(state[`c1/kernel${s}`].length).toBe(3 * 3 * 2 * 4);
    expect(Math.max(...state[`fc/kernel${slots[0]}`].map(Math.abs))).toBeGreaterThan(0);

    const copy = async (withState: boolean) => {
      const m = net();
      await a.syncTo(m);
      const b = await createEngine(m, options);
      b.setExtraGradient({ 'c1_bn/gamma': new Float32Array(4).fill(0.01) });
      if (withState) b.importOptimizerState(state);
      return b;
    };
    const b = await copy(true);
    const c = await copy(false);
    await steps(a, 3, 3);
    await steps(b, 3, 3);
    await steps(c, 3, 3);
    let differs = false;
    for (const n of names) {
      expect(b.weight!(n), n).toEqual(a.weight!(n));
      if (c.weight!(n).some((v, i) => v !== a.weight!(n)[i])) differs = true;
    }
    expect(differs).toBe(true);
    expect((await b.exportOptimizerState())['#step']).toEqual(Float32Array.of(6));
    [a, b, c].forEach((e) => e.dispose());
  });

  it('rejects a state of another optimizer', async () => {
    const a = await createEngine(net(), { engine: kind, threads: 1, loss: 'categorical-crossentropy' });
    const b = await createEngine(net(), {
      engine: kind,
      threads: 1,
      optimizer: 'adam',
      loss: 'categorical-crossentropy',
    });
    expect(() => b.importOptimizerState({})).toThrow(/no "c1\/kernel#m"/);
    const state = await a.exportOptimizerState();
    expect(() => b.importOptimizerState(state)).toThrow(/optimizer state/);
    state['c1/kernel#velocity'] = new Float32Array(5);
    expect(() => a.importOptimizerState(state)).toThrow(/has 5 values, expected 72/);
    a.dispose();
    b.dispose();
  });
});
