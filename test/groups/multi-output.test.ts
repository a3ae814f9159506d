/** Several outputs: every output's channels are pinned; the shared trunk stays prunable. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';

beforeAll(cpuBackend);

describe('multi-output', () => {
  it('pins each head and an intermediate output, keeps the trunk prunable', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const trunk = apply(
      tf.layers.batchNormalization({ name: 'trunk_bn' }),
      apply(tf.layers.conv2d({ name: 'trunk', filters: 6, kernelSize: 3 }), x),
    );
    const mid = apply(
      tf.layers.batchNormalization({ name: 'mid_bn' }),
      apply(tf.layers.conv2d({ name: 'mid', filters: 5, kernelSize: 3 }), trunk),
    );
    const gap = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), trunk);
    const cls = apply(tf.layers.dense({ name: 'cls', units: 10, activation: 'softmax' }), gap);
    const box = apply(tf.layers.dense({ name: 'box', units: 4 }), gap);
    const { groups } = groupsOf(tf.model({ inputs: x, outputs: [cls, box, mid] }));
    expect(groups).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 6, layers: ['trunk', 'trunk_bn', 'gap'] },
      { channels: 5, layers: ['mid', 'mid_bn'], pinned: 'output' },
      { channels: 10, layers: ['cls'], pinned: 'output' },
      { channels: 4, layers: ['box'], pinned: 'output' },
    ]);
  });
});
