/** DepthwiseConv2D ties its output channels to its input channels (× depth multiplier). */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';

beforeAll(cpuBackend);

describe('depthwise chain', () => {
  it('multiplier 1: conv → dw → BN → 1×1 conv: the dw output is the producer group', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const c = apply(
      tf.layers.batchNormalization({ name: 'c_bn' }),
      apply(tf.layers.conv2d({ name: 'c', filters: 6, kernelSize: 3, padding: 'same' }), x),
    );
    const dw = apply(
      tf.layers.batchNormalization({ name: 'dw_bn' }),
      apply(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same' }), c),
    );
    const pw = apply(
      tf.layers.batchNormalization({ name: 'pw_bn' }),
      apply(tf.layers.conv2d({ name: 'pw', filters: 4, kernelSize: 1 }), dw),
    );
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), pw),
    );
    const { groups } = groupsOf(tf.model({ inputs: x, outputs: out }));
    expect(groups).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 6, layers: ['c', 'c_bn', 'dw', 'dw_bn'] },
      { channels: 4, layers: ['pw', 'pw_bn', 'gap'] },
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
  });

  it('multiplier 2: input channel c owns output channels 2c and 2c+1', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const c = apply(
      tf.layers.batchNormalization({ name: 'c_bn' }),
      apply(tf.layers.conv2d({ name: 'c', filters: 3, kernelSize: 1 }), x),
    );
    const dw = apply(
      tf.layers.batchNormalization({ name: 'dw_bn' }),
      apply(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, depthMultiplier: 2, padding: 'same' }), c),
    );
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), dw),
    );
    const { groups, analysis } = groupsOf(tf.model({ inputs: x, outputs: out }));
    expect(groups[1]).toEqual({ channels: 3, layers: ['c', 'c_bn', 'dw', 'dw_bn', 'gap'] });
    const cc = Array.from(analysis.tensorClasses.get('c:0')!);
    expect(Array.from(analysis.tensorClasses.get('dw:0')!)).toEqual([
      cc[0],
      cc[0],
      cc[1],
      cc[1],
      cc[2],
      cc[2],
    ]);
  });
});
