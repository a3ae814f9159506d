/** Pruning a plain conv chain: outputs equal the original's, with folding of β ≠ 0 where exact. */
import { beforeAll, describe, expect, it } from 'vitest';
import { pruneModel } from '../../src/structure/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, maxOutputDiff, randomizeStats, weightShape } from './helpers.js';

beforeAll(cpuBackend);

/** input 8×8×3 → c1 3×3 same (6) → bn1 → relu → c2 1×1 no bias (5) → bn2 → relu → c3 3×3 valid (4) → bn3 → relu → gap → fc (3). */
function chain(): tf.LayersModel {
  const x = tf.input({ shape: [8, 8, 3], name: 'x' });
  let h = apply(tf.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 3, padding: 'same' }), x);
  h = apply(tf.layers.reLU({ name: 'r1' }), apply(tf.layers.batchNormalization({ name: 'bn1' }), h));
  h = apply(tf.layers.conv2d({ name: 'c2', filters: 5, kernelSize: 1, useBias: false }), h);
  h = apply(tf.layers.reLU({ name: 'r2' }), apply(tf.layers.batchNormalization({ name: 'bn2' }), h));
  h = apply(tf.layers.conv2d({ name: 'c3', filters: 4, kernelSize: 3, padding: 'valid' }), h);
  h = apply(
    tf.layers.activation({ activation: 'elu', name: 'r3' }),
    apply(tf.layers.batchNormalization({ name: 'bn3' }), h),
  );
  h = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), h);
  const y = apply(tf.layers.dense({ name: 'fc', units: 3 }), h);
  return tf.model({ inputs: x, outputs: y });
}

describe('prune: plain chain', () => {
  it('removes dead channels (β = 0) with equal outputs and smaller shapes', async () => {
    const m = chain();
    randomizeStats(m);
    killChannels(m, 'bn1', [1, 4]);
    killChannels(m, 'bn2', [0]);
    killChannels(m, 'bn3', [2]);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'c1', 'kernel')).toEqual([3, 3, 3, 4]);
    expect(weightShape(r.model, 'c2', 'kernel')).toEqual([1, 1, 4, 4]);
    expect(weightShape(r.model, 'bn2', 'moving_mean')).toEqual([4]);
    expect(weightShape(r.model, 'c3', 'kernel')).toEqual([3, 3, 4, 3]);
    expect(weightShape(r.model, 'fc', 'kernel')).toEqual([3, 3]);
    expect(r.structure.alive).toEqual({ c1: 4, c2: 4, c3: 3, fc: 3 });
    expect(r.structure.masks).toEqual({ c1: [0, 2, 3, 5], c2: [1, 2, 3, 4], c3: [0, 1, 3], fc: [0, 1, 2] });
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
    expect(r.warnings).toEqual([]);
  });

  it('folds β ≠ 0 into the next bias, the next BN moving mean, and through global pooling', async () => {
    const m = chain();
    randomizeStats(m, 11);
    killChannels(m, 'bn1', [1, 4], 0.4); // into c2 (1×1, no bias) → bn2 moving mean
    killChannels(m, 'bn2', [0, 3], 0.3); // into c3 (valid) bias
    killChannels(m, 'bn3', [2], -0.7); // elu(β) through gap into fc bias
    const before = maxOutputDiff(m, m);
    expect(before).toBe(0);
    const r = await pruneModel(m);
    const byLayer = Object.fromEntries(r.folds.map((f) => [f.layer, f]));
    expect(byLayer['c2']).toMatchObject({ into: 'moving_mean', exact: true, folded: 2 });
    expect(byLayer['c3']).toMatchObject({ into: 'bias', exact: true, folded: 2 });
    expect(byLayer['fc']).toMatchObject({ into: 'bias', exact: true, folded: 1 });
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });

  it('folds the interior value through same padding and reports the measured difference', async () => {
    const x = tf.input({ shape: [6, 6, 2], name: 'x' });
    let h = apply(tf.layers.conv2d({ name: 'a', filters: 4, kernelSize: 1 }), x);
    h = apply(tf.layers.batchNormalization({ name: 'a_bn' }), h);
    h = apply(tf.layers.conv2d({ name: 'b', filters: 3, kernelSize: 3, padding: 'same' }), h);
    const y = apply(tf.layers.dense({ name: 'fc', units: 2 }), apply(tf.layers.flatten({ name: 'f' }), h));
    const m = tf.model({ inputs: x, outputs: y });
    randomizeStats(m, 5);
    killChannels(m, 'a_bn', [1], 0.8);
    const r = await pruneModel(m);
    const note = r.folds.find((f) => f.layer === 'b')!;
    expect(note).toMatchObject({ into: 'bias', exact: false });
    const diff = maxOutputDiff(m, r.model);
    expect(diff).toBeGreaterThan(1e-4);
    expect(r.maxDifference).toBeGreaterThan(1e-4);
    expect(r.warnings.some((w) => /borders differ/.test(w) && /outputs differ by up to/.test(w))).toBe(true);
  });

  it('prunes γ below the threshold but not zero: a small difference, no folding warning', async () => {
    const m = chain();
    randomizeStats(m, 11);
    killChannels(m, 'bn1', [1, 4], 0.4);
    const layer = m.getLayer('bn1');
    const ws = layer.getWeights().map((t) => t.dataSync().slice() as Float32Array);
    ws[0][1] = 0.004;
    ws[0][4] = -0.006;
    layer.setWeights(ws.map((v, i) => tf.tensor(v, layer.weights[i].shape as number[])));
    const r = await pruneModel(m, { measure: 'always' });
    expect(weightShape(r.model, 'c1', 'kernel')).toEqual([3, 3, 3, 4]);
    expect(r.warnings).toEqual([]);
    expect(r.maxDifference).toBeGreaterThan(0);
    expect(r.maxDifference).toBeLessThan(0.02);
  });
});
