/** SeparableConv2D: its depthwise part follows the input group, its pointwise output starts a new one. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';

beforeAll(cpuBackend);

describe('separable conv', () => {
  it('consumes the input group and owns its output group', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const c = apply(
      tf.layers.batchNormalization({ name: 'c_bn' }),
      apply(tf.layers.conv2d({ name: 'c', filters: 5, kernelSize: 3, padding: 'same' }), x),
    );
    const s = apply(
      tf.layers.batchNormalization({ name: 's_bn' }),
      apply(
        tf.layers.separableConv2d({
          name: 's',
          filters: 7,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
        }),
        c,
      ),
    );
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalMaxPooling2d({ name: 'gmp' }), s),
    );
    const { groups, analysis } = groupsOf(tf.model({ inputs: x, outputs: out }));
    expect(groups).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 5, layers: ['c', 'c_bn'] },
      { channels: 7, layers: ['s', 's_bn', 'gmp'] },
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
    expect(analysis.groups[2].sources.map((g) => g.weight)).toEqual(['s/pointwise_kernel', 's_bn/gamma']);
  });
});
