/**
 * Pruning equivalence for every supported pattern: residual identity and projection, concat then
 * residual, depthwise/separable chain, flatten → dense, multi-output; hand-built nets with β ≠ 0 where
 * the fold is exact (1×1/valid windows, dense, global pooling), and zoo nets with β = 0.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pruneModel } from '../../src/structure/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, maxOutputDiff, randomizeStats, weightShape } from './helpers.js';

beforeAll(cpuBackend);

const conv = (name: string, filters: number, kernelSize = 1, extra: object = {}) =>
  tf.layers.conv2d({ name, filters, kernelSize, ...extra });
const bn = (name: string) => tf.layers.batchNormalization({ name });
const relu = (name: string) => tf.layers.reLU({ name });

describe('prune: residual identity and projection', () => {
  function residual(): tf.LayersModel {
    const x = tf.input({ shape: [6, 6, 3], name: 'x' });
    const stem = apply(relu('stem_r'), apply(bn('stem_bn'), apply(conv('stem', 6), x)));
    // identity block
    let b = apply(relu('b1_r'), apply(bn('b1_bn'), apply(conv('b1', 4), stem)));
    b = apply(bn('b2_bn'), apply(conv('b2', 6), b));
    const id = apply(relu('id_r'), apply(tf.layers.add({ name: 'id_add' }), [stem, b]));
    // projection block (stride 2)
    let p = apply(relu('p1_r'), apply(bn('p1_bn'), apply(conv('p1', 5, 1, { strides: 2 }), id)));
    p = apply(bn('p2_bn'), apply(conv('p2', 8), p));
    const sc = apply(bn('sc_bn'), apply(conv('sc', 8, 1, { strides: 2 }), id));
    const out = apply(relu('p_r'), apply(tf.layers.add({ name: 'p_add' }), [sc, p]));
    const y = apply(
      tf.layers.dense({ name: 'fc', units: 3 }),
      apply(tf.layers.globalAveragePooling2d({}), out),
    );
    return tf.model({ inputs: x, outputs: y });
  }

  it('removes residual channels only when every BN of the join is dead, folding β through the add', async () => {
    const m = residual();
    randomizeStats(m, 21);
    killChannels(m, 'stem_bn', [0, 3], 0.2);
    killChannels(m, 'b2_bn', [0, 3], 0.5); // channel 0, 3 of the identity join: dead
    killChannels(m, 'stem_bn', [5], 0.1); // b2_bn channel 5 alive: join channel 5 stays
    killChannels(m, 'b1_bn', [2], -0.3);
    killChannels(m, 'p1_bn', [0, 1], 0.6);
    killChannels(m, 'p2_bn', [7], 0.2);
    killChannels(m, 'sc_bn', [7], -0.4);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'stem', 'kernel')).toEqual([1, 1, 3, 4]);
    expect(weightShape(r.model, 'b2', 'kernel')).toEqual([1, 1, 3, 4]);
    expect(weightShape(r.model, 'p1', 'kernel')).toEqual([1, 1, 4, 3]);
    expect(weightShape(r.model, 'sc', 'kernel')).toEqual([1, 1, 4, 7]);
    expect(weightShape(r.model, 'fc', 'kernel')).toEqual([7, 3]);
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });

  it('keeps equal outputs on resnet20 (3×3 same convs) with β = 0', async () => {
    const m = buildZooModel('resnet20', { seed: 1 });
    randomizeStats(m, 3);
    killChannels(m, 'stem_bn', [1, 5, 9]);
    for (const b of ['s1b1', 's1b2', 's1b3']) killChannels(m, `${b}_bn2`, [1, 5, 9]);
    const bn1 = m.layers.filter((l) => /_bn1$/.test(l.name)).map((l) => l.name);
    bn1.forEach((name, i) => killChannels(m, name, [i % 4, 4 + (i % 3)]));
    const r = await pruneModel(m);
    expect(r.model.countParams()).toBeLessThan(m.countParams());
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
    expect(r.folds.every((f) => f.exact)).toBe(true);
  });
});

describe('prune: concat then residual', () => {
  it('prunes each branch in its slice of the concat and of the shortcut', async () => {
    const x = tf.input({ shape: [6, 6, 3], name: 'x' });
    const stem = apply(bn('stem_bn'), apply(conv('stem', 5), x));
    const b1 = apply(bn('b1_bn'), apply(conv('b1', 2), stem));
    const b2 = apply(bn('b2_bn'), apply(conv('b2', 3), stem));
    const cat = apply(tf.layers.concatenate({ name: 'cat' }), [b1, b2]);
    const add = apply(relu('add_r'), apply(tf.layers.add({ name: 'add' }), [stem, cat]));
    const y = apply(conv('head', 4, 1, { padding: 'valid' }), add);
    const m = tf.model({ inputs: x, outputs: y });
    randomizeStats(m, 4);
    killChannels(m, 'stem_bn', [1, 3], 0.3); // concat slot 1 = b1 ch 1, slot 3 = b2 ch 1
    killChannels(m, 'b1_bn', [1], 0.2);
    killChannels(m, 'b2_bn', [1], -0.1);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'b1', 'kernel')).toEqual([1, 1, 3, 1]);
    expect(weightShape(r.model, 'b2', 'kernel')).toEqual([1, 1, 3, 2]);
    expect(weightShape(r.model, 'head', 'kernel')).toEqual([1, 1, 3, 4]);
    expect(r.structure.masks!['stem']).toEqual([0, 2, 4]);
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });
});

describe('prune: depthwise / separable chain', () => {
  it('removes a channel through the depthwise multiplier and the separable kernels', async () => {
    const x = tf.input({ shape: [9, 9, 3], name: 'x' });
    let h = apply(relu('c_r'), apply(bn('c_bn'), apply(conv('c', 4, 3, { padding: 'same' }), x)));
    h = apply(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2 }), h);
    h = apply(relu('dw_r'), apply(bn('dw_bn'), h));
    h = apply(tf.layers.separableConv2d({ name: 'sep', filters: 5, kernelSize: 3, depthMultiplier: 2 }), h);
    h = apply(relu('sep_r'), apply(bn('sep_bn'), h));
    const y = apply(conv('head', 3, 1), h);
    const m = tf.model({ inputs: x, outputs: y });
    randomizeStats(m, 8);
    killChannels(m, 'c_bn', [2], 0.5);
    killChannels(m, 'dw_bn', [4, 5], 0.7); // depthwise outputs 2·2, 2·2+1: the same channel
    killChannels(m, 'dw_bn', [0], 0.9); // only one of channel 0's two outputs: channel 0 stays
    killChannels(m, 'sep_bn', [1, 3], 0.25);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'c', 'kernel')).toEqual([3, 3, 3, 3]);
    expect(weightShape(r.model, 'dw', 'depthwise_kernel')).toEqual([3, 3, 3, 2]);
    expect(weightShape(r.model, 'dw', 'bias')).toEqual([6]);
    expect(weightShape(r.model, 'dw_bn', 'gamma')).toEqual([6]);
    expect(weightShape(r.model, 'sep', 'depthwise_kernel')).toEqual([3, 3, 6, 2]);
    expect(weightShape(r.model, 'sep', 'pointwise_kernel')).toEqual([1, 1, 12, 3]);
    expect(weightShape(r.model, 'head', 'kernel')).toEqual([1, 1, 3, 3]);
    expect(r.folds.find((f) => f.layer === 'sep')).toMatchObject({ into: 'bias', exact: true, folded: 2 });
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });

  it('keeps equal outputs on mobilenet-v2 (32×32) with β = 0', async () => {
    const m = buildZooModel('mobilenet-v2', { seed: 2 });
    randomizeStats(m, 9);
    const bns = m.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    // kill the expansion channels of every block (its BN, the depthwise BN after it)
    for (const l of bns) {
      const n = l.weights[0].shape[0]!;
      if (n >= 32) killChannels(m, l.name, [3, 7]);
    }
    const r = await pruneModel(m);
    expect(r.model.countParams()).toBeLessThan(m.countParams());
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });
});

describe('prune: flatten → dense', () => {
  it('removes the H·W rows of each dead channel and folds β into the dense bias', async () => {
    const x = tf.input({ shape: [5, 5, 2], name: 'x' });
    let h = apply(relu('c_r'), apply(bn('c_bn'), apply(conv('c', 4, 2), x)));
    h = apply(tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }), h);
    const y = apply(tf.layers.dense({ name: 'fc', units: 3 }), apply(tf.layers.flatten({ name: 'flat' }), h));
    const m = tf.model({ inputs: x, outputs: y });
    randomizeStats(m, 12);
    killChannels(m, 'c_bn', [0, 2], 0.6);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'fc', 'kernel')).toEqual([2 * 2 * 2, 3]);
    expect(r.folds).toEqual([{ layer: 'fc', folded: 8, into: 'bias', exact: true }]);
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });
});

describe('prune: multi-output', () => {
  it('prunes a shared trunk feeding two heads', async () => {
    const x = tf.input({ shape: [6, 6, 3], name: 'x' });
    const trunk = apply(relu('t_r'), apply(bn('t_bn'), apply(conv('t', 6, 3, { padding: 'valid' }), x)));
    const ya = apply(
      tf.layers.dense({ name: 'head_a', units: 2 }),
      apply(tf.layers.globalMaxPooling2d({}), trunk),
    );
    let hb = apply(relu('b_r'), apply(bn('b_bn'), apply(conv('b', 4), trunk)));
    hb = apply(tf.layers.globalAveragePooling2d({}), hb);
    const yb = apply(tf.layers.dense({ name: 'head_b', units: 5 }), hb);
    const m = tf.model({ inputs: x, outputs: [ya, yb] });
    randomizeStats(m, 13);
    killChannels(m, 't_bn', [1, 2, 5], 0.35);
    killChannels(m, 'b_bn', [3], 0.15);
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'head_a', 'kernel')).toEqual([3, 2]);
    expect(weightShape(r.model, 'b', 'kernel')).toEqual([1, 1, 3, 3]);
    expect(weightShape(r.model, 'head_b', 'kernel')).toEqual([3, 5]);
    expect(maxOutputDiff(m, r.model)).toBeLessThanOrEqual(1e-5);
  });
});
