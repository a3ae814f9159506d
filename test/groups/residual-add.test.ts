/** Residual joins: an identity shortcut ties the block's output to its input; a projection does not. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';

beforeAll(cpuBackend);

function convBnRelu(x: tf.SymbolicTensor, name: string, filters: number, strides = 1) {
  const c = apply(
    tf.layers.conv2d({ name, filters, kernelSize: 3, strides, padding: 'same', useBias: false }),
    x,
  );
  return apply(
    tf.layers.reLU({ name: `${name}_relu` }),
    apply(tf.layers.batchNormalization({ name: `${name}_bn` }), c),
  );
}

describe('residual add', () => {
  it('identity shortcut: stem, both block outputs and the add form one group', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const stem = convBnRelu(x, 'stem', 6);
    const a = convBnRelu(stem, 'a', 4);
    const b = apply(
      tf.layers.batchNormalization({ name: 'b_bn' }),
      apply(tf.layers.conv2d({ name: 'b', filters: 6, kernelSize: 3, padding: 'same' }), a),
    );
    const add = apply(tf.layers.add({ name: 'add' }), [stem, b]);
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), add),
    );
    const { groups } = groupsOf(tf.model({ inputs: x, outputs: out }));
    expect(groups).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 6, layers: ['stem', 'stem_bn', 'stem_relu', 'b', 'b_bn', 'add', 'gap'] },
      { channels: 4, layers: ['a', 'a_bn', 'a_relu'] },
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
  });

  it('projection shortcut: the block output joins the projection, not the block input', () => {
    const x = tf.input({ shape: [8, 8, 3], name: 'x' });
    const stem = convBnRelu(x, 'stem', 4);
    const a = convBnRelu(stem, 'a', 8, 2);
    const b = apply(
      tf.layers.batchNormalization({ name: 'b_bn' }),
      apply(tf.layers.conv2d({ name: 'b', filters: 8, kernelSize: 3, padding: 'same' }), a),
    );
    const proj = apply(
      tf.layers.batchNormalization({ name: 'proj_bn' }),
      apply(tf.layers.conv2d({ name: 'proj', filters: 8, kernelSize: 1, strides: 2 }), stem),
    );
    const add = apply(tf.layers.add({ name: 'add' }), [proj, b]);
    const relu = apply(tf.layers.reLU({ name: 'out_relu' }), add);
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), relu),
    );
    const { groups, analysis } = groupsOf(tf.model({ inputs: x, outputs: out }));
    expect(groups).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 4, layers: ['stem', 'stem_bn', 'stem_relu'] },
      { channels: 8, layers: ['a', 'a_bn', 'a_relu'] },
      { channels: 8, layers: ['proj', 'b', 'proj_bn', 'b_bn', 'add', 'out_relu', 'gap'] }, // model (topological) order
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
    // Both BNs of the residual group are its switches (morph-net keeps all sources of a merged group).
    expect(
      analysis.groups[3].sources
        .filter((s) => s.kind === 'gamma')
        .map((s) => s.weight)
        .sort(),
    ).toEqual(['b_bn/gamma', 'proj_bn/gamma']);
  });
});
