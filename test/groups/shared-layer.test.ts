/** A layer applied twice: its applications share one kernel, so their channels are tied. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';
import { modelCost } from '../../src/cost/index.js';

beforeAll(cpuBackend);

describe('shared layer', () => {
  it('ties the inputs and outputs of both applications, counts params once and FLOPs twice', () => {
    const a = tf.input({ shape: [5, 5, 2], name: 'a' });
    const b = tf.input({ shape: [5, 5, 4], name: 'b' });
    const pa = apply(tf.layers.conv2d({ name: 'pa', filters: 3, kernelSize: 1 }), a);
    const pb = apply(tf.layers.conv2d({ name: 'pb', filters: 3, kernelSize: 1 }), b);
    const shared = tf.layers.conv2d({ name: 'shared', filters: 6, kernelSize: 3, padding: 'same' });
    const sa = apply(shared, pa);
    const sb = apply(shared, pb);
    const add = apply(tf.layers.add({ name: 'add' }), [sa, sb]);
    const out = apply(
      tf.layers.dense({ name: 'fc', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), add),
    );
    const model = tf.model({ inputs: [a, b], outputs: out });
    const { groups, graph, analysis } = groupsOf(model);
    expect(graph.ops.map((o) => o.id)).toContain('shared@1');
    expect(groups).toEqual([
      { channels: 2, layers: ['a'], pinned: 'input' },
      { channels: 4, layers: ['b'], pinned: 'input' },
      { channels: 3, layers: ['pa', 'pb'] },
      { channels: 6, layers: ['shared', 'add', 'gap'] },
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
    expect(modelCost(graph, analysis, 'params')).toBe(model.countParams());
    // FLOPs: pa 2·25·2·3, pb 2·25·4·3, shared twice 2·9·25·3·6, fc 2·6·2.
    expect(modelCost(graph, analysis, 'flops')).toBe(
      2 * 25 * 2 * 3 + 2 * 25 * 4 * 3 + 2 * (2 * 9 * 25 * 3 * 6) + 2 * 6 * 2,
    );
  });
});
