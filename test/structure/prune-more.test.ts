/**
 * More layer kinds through prune: a shared conv applied twice, SE-style GAP → Reshape(1,1,C) → 1×1 conv,
 * PReLU, ZeroPadding2D, Conv2DTranspose, a Sequential model; outputs equal the original's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pruneModel } from '../../src/structure/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, maxOutputDiff, randomizeStats, weightShape } from './helpers.js';

beforeAll(cpuBackend);

describe('prune: more layer kinds', () => {
  it('a shared conv, Reshape after global pooling, PReLU, zero padding, Conv2DTranspose', async () => {
    const x = tf.input({ shape: [6, 6, 3], name: 'x' });
    const stem = apply(
      tf.layers.batchNormalization({ name: 'stem_bn' }),
      apply(tf.layers.conv2d({ name: 'stem', filters: 5, kernelSize: 1 }), x),
    );
    const shared = tf.layers.conv2d({ name: 'shared', filters: 4, kernelSize: 1 });
    const sbn = tf.layers.batchNormalization({ name: 'shared_bn' });
    const a = apply(sbn, apply(shared, stem));
    const b = apply(sbn, apply(shared, apply(tf.layers.reLU({ name: 'r' }), stem)));
    let h = apply(tf.layers.add({ name: 'ab' }), [a, b]);
    h = apply(tf.layers.prelu({ name: 'prelu', sharedAxes: [1, 2] }), h);
    const se = apply(
      tf.layers.reshape({ name: 'se_reshape', targetShape: [1, 1, 4] }),
      apply(tf.layers.globalAveragePooling2d({ name: 'se_gap' }), h),
    );
    const gate = apply(
      tf.layers.conv2d({ name: 'se_conv', filters: 4, kernelSize: 1, activation: 'sigmoid' }),
      se,
    );
    h = apply(tf.layers.multiply({ name: 'se_mul' }), [h, gate]);
    h = apply(tf.layers.zeroPadding2d({ name: 'pad', padding: 1 }), h);
    h = apply(tf.layers.conv2dTranspose({ name: 'up', filters: 3, kernelSize: 2, strides: 2 }), h);
    const y = apply(tf.layers.batchNormalization({ name: 'up_bn' }), h);
    const m = tf.model({ inputs: x, outputs: y });
    randomizeStats(m, 31);
    killChannels(m, 'stem_bn', [1, 3]);
    killChannels(m, 'shared_bn', [2]);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'stem', 'kernel')).toEqual([1, 1, 3, 3]);
    expect(weightShape(r.model, 'shared', 'kernel')).toEqual([1, 1, 3, 3]);
    expect(weightShape(r.model, 'prelu', 'alpha')).toEqual([1, 1, 3]);
    // the gate is multiplied into the trunk channel by channel: tied to it, pruned with it
    expect(weightShape(r.model, 'se_conv', 'kernel')).toEqual([1, 1, 3, 3]);
    expect(weightShape(r.model, 'up', 'kernel')).toEqual([2, 2, 3, 3]);
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });

  it('a Sequential model', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 3, inputShape: [7, 7, 1] }),
        tf.layers.batchNormalization({ name: 'bn1' }),
        tf.layers.activation({ name: 'a1', activation: 'relu' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ name: 'fc', units: 2 }),
      ],
    });
    randomizeStats(m, 2);
    killChannels(m, 'bn1', [0, 5], 0.5);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'fc', 'kernel')).toEqual([5 * 5 * 4, 2]);
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });

  it('a model with unknown input sizes, given an input shape', async () => {
    const x = tf.input({ shape: [null, null, 3], name: 'x' });
    let h = apply(tf.layers.conv2d({ name: 'c', filters: 4, kernelSize: 3, padding: 'same' }), x);
    h = apply(tf.layers.batchNormalization({ name: 'bn' }), h);
    h = apply(tf.layers.conv2d({ name: 'c2', filters: 3, kernelSize: 1 }), h);
    const y = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({}), h),
    );
    const m = tf.model({ inputs: x, outputs: y });
    randomizeStats(m, 6);
    killChannels(m, 'bn', [1], 0.7);
    const r = await pruneModel(m, { inputShape: [5, 5, 3], measure: 'always' });
    expect(weightShape(r.model, 'c2', 'kernel')).toEqual([1, 1, 3, 3]);
    expect(r.maxDifference).toBeLessThanOrEqual(1e-5);
  });
});
