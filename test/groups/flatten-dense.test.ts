/** Flatten → Dense: each channel owns H·W rows of the Dense kernel (flat index p·C + c). */
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { groupsOf } from './helpers.js';
import { aliveCounts, opCost } from '../../src/cost/index.js';

beforeAll(cpuBackend);

describe('flatten → dense', () => {
  it('keeps the conv group prunable through the flatten, H·W rows per channel', () => {
    const x = tf.input({ shape: [6, 6, 1], name: 'x' });
    const c = apply(
      tf.layers.batchNormalization({ name: 'c_bn' }),
      apply(tf.layers.conv2d({ name: 'c', filters: 4, kernelSize: 3 }), x),
    );
    const f = apply(tf.layers.flatten({ name: 'flat' }), c);
    const d = apply(tf.layers.dense({ name: 'fc', units: 3 }), f);
    const { groups, analysis, graph } = groupsOf(tf.model({ inputs: x, outputs: d }));
    expect(groups).toEqual([
      { channels: 1, layers: ['x'], pinned: 'input' },
      { channels: 4, layers: ['c', 'c_bn', 'flat'] },
      { channels: 3, layers: ['fc'], pinned: 'output' },
    ]);
    const cc = Array.from(analysis.tensorClasses.get('c:0')!);
    const flat = Array.from(analysis.tensorClasses.get('flat:0')!);
    expect(flat.length).toBe(4 * 4 * 4);
    flat.forEach((cls, i) => expect(cls).toBe(cc[i % 4]));
    // Killing one of the 4 channels removes its 16 rows: the Dense costs 2·48·3 FLOPs instead of 2·64·3.
    const alive = new Uint8Array(analysis.classCount).fill(1);
    alive[cc[2]] = 0;
    const fc = graph.opsById.get('fc')!;
    expect(aliveCounts(analysis, fc, alive)).toEqual({ nIn: 48, nOut: 3 });
    expect(opCost(graph, analysis, fc, 'flops', alive)).toBe(2 * 48 * 3);
  });
});
