/** Pruned and expanded models save to a folder, load back with tf.loadLayersModel and train a step. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/io/index.js';
import { expandModel, pruneModel, saveStructuredModel, parseStructure } from '../../src/structure/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, maxOutputDiff, randomizeStats } from './helpers.js';

beforeAll(cpuBackend);
const dir = mkdtempSync(path.join(tmpdir(), 'morphnet-structure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** conv → bn → relu → separable (m = 2) → bn → relu → gap → softmax dense. */
function net(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'x' });
  let h = apply(tf.layers.conv2d({ name: 'c', filters: 6, kernelSize: 3, padding: 'same' }), x);
  h = apply(tf.layers.reLU({ name: 'c_r' }), apply(tf.layers.batchNormalization({ name: 'c_bn' }), h));
  h = apply(
    tf.layers.separableConv2d({
      name: 'sep',
      filters: 5,
      kernelSize: 3,
      depthMultiplier: 2,
      padding: 'same',
    }),
    h,
  );
  h = apply(tf.layers.reLU({ name: 's_r' }), apply(tf.layers.batchNormalization({ name: 's_bn' }), h));
  const y = apply(
    tf.layers.dense({ name: 'fc', units: 4, activation: 'softmax' }),
    apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), h),
  );
  return tf.model({ inputs: x, outputs: y });
}

async function trainsOneStep(model: tf.LayersModel): Promise<void> {
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const xs = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
  const before = model.getLayer('fc').getWeights()[0].dataSync().slice();
  const h = await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 });
  expect(Number.isFinite(h.history['loss'][0] as number)).toBe(true);
  const after = model.getLayer('fc').getWeights()[0].dataSync();
  expect(after.some((v, i) => v !== before[i])).toBe(true);
}

describe('save, load and train', () => {
  it('a pruned model (separable m = 2) saves, loads with equal outputs, and trains', async () => {
    const m = net();
    randomizeStats(m, 3);
    killChannels(m, 'c_bn', [1, 4]);
    killChannels(m, 's_bn', [2]);
    const r = await pruneModel(m);
    const out = path.join(dir, 'pruned');
    await saveStructuredModel(r.model, out, r.structure);
    const loaded = await loadModel(path.join(out, 'model.json'));
    expect(loaded.getLayer('sep').getWeights()[0].shape).toEqual([3, 3, 4, 2]);
    expect(maxOutputDiff(m, loaded)).toBeLessThanOrEqual(1e-5);
    const structure = parseStructure(JSON.parse(readFileSync(path.join(out, 'structure.json'), 'utf8')));
    expect(structure.alive).toEqual({ c: 4, sep: 4, fc: 4 });
    await trainsOneStep(loaded);
  });

  it('an expanded model saves, loads and trains', async () => {
    const m = net();
    const r = await expandModel(m, { target: 'size', budget: 2000 });
    const out = path.join(dir, 'expanded');
    await saveStructuredModel(r.model, out, r.structure);
    const loaded = await loadModel(path.join(out, 'model.json'));
    expect(loaded.countParams()).toBe(r.model.countParams());
    await trainsOneStep(loaded);
  });
});
