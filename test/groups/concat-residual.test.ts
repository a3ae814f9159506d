/** Concatenate of branches, then a residual add across the concat: each branch maps to its slice. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';

beforeAll(cpuBackend);

describe('concat then residual add', () => {
  it('ties each branch to its slice of the concat and of the shortcut', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const stem = apply(
      tf.layers.batchNormalization({ name: 'stem_bn' }),
      apply(tf.layers.conv2d({ name: 'stem', filters: 5, kernelSize: 3, padding: 'same' }), x),
    );
    const b1 = apply(
      tf.layers.batchNormalization({ name: 'b1_bn' }),
      apply(tf.layers.conv2d({ name: 'b1', filters: 2, kernelSize: 1 }), stem),
    );
    const b2 = apply(
      tf.layers.batchNormalization({ name: 'b2_bn' }),
      apply(tf.layers.conv2d({ name: 'b2', filters: 3, kernelSize: 3, padding: 'same' }), stem),
    );
    const cat = apply(tf.layers.concatenate({ name: 'cat' }), [b1, b2]);
    const add = apply(tf.layers.add({ name: 'add' }), [stem, cat]);
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), add),
    );
    const { groups, analysis, graph } = groupsOf(tf.model({ inputs: x, outputs: out }));
    expect(groups).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 2, layers: ['stem', 'stem_bn', 'b1', 'b1_bn', 'cat', 'add', 'gap'] },
      { channels: 3, layers: ['stem', 'stem_bn', 'b2', 'b2_bn', 'cat', 'add', 'gap'] },
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
    // Channel i of the stem is concat channel i: b1's 2 channels then b2's 3.
    const stemClasses = Array.from(analysis.tensorClasses.get('stem:0')!);
    const catClasses = Array.from(analysis.tensorClasses.get('cat:0')!);
    expect(catClasses).toEqual(stemClasses);
    expect(Array.from(analysis.tensorClasses.get('b2:0')!)).toEqual(stemClasses.slice(2));
    expect(graph.opsById.get('cat')!.outputShapes[0]).toEqual([8, 8, 5]);
  });
});
