/** A layer class the analysis does not know keeps its channels and is listed as a boundary. */
import { describe, expect, it } from 'vitest';
import { parseModelJson } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';

const layer = (name: string, className: string, config: object, inbound: string | null) => ({
  name,
  class_name: className,
  config: { name, ...config },
  inbound_nodes: inbound ? [[[inbound, 0, 0, {}]]] : [],
});

describe('unknown layer classes', () => {
  it('become boundaries: their input and output channels are pinned, nothing crashes', () => {
    const json = {
      modelTopology: {
        class_name: 'Model',
        config: {
          name: 'm',
          layers: [
            layer('x', 'InputLayer', { batch_input_shape: [null, 8, 8, 3] }, null),
            layer('c1', 'Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same' }, 'x'),
            layer('mystery', 'MyCustomLayer', {}, 'c1'),
            layer('c2', 'Conv2D', { filters: 5, kernel_size: [1, 1] }, 'mystery'),
            layer('bn', 'BatchNormalization', {}, 'c2'),
            layer('gap', 'GlobalAveragePooling2D', {}, 'bn'),
            layer('fc', 'Dense', { units: 2 }, 'gap'),
          ],
          input_layers: [['x', 0, 0]],
          output_layers: [['fc', 0, 0]],
        },
      },
    };
    const analysis = analyzeGroups(parseModelJson(json));
    expect(analysis.boundaries).toEqual(['mystery']);
    const summary = analysis.groups.map((g) => ({
      channels: g.channels,
      layers: g.layers,
      pinned: g.pinned,
    }));
    expect(summary).toEqual([
      { channels: 3, layers: ['x'], pinned: 'input' },
      { channels: 4, layers: ['c1'], pinned: 'boundary' },
      { channels: 4, layers: ['mystery'], pinned: 'boundary' },
      { channels: 5, layers: ['c2', 'bn', 'gap'], pinned: undefined },
      { channels: 2, layers: ['fc'], pinned: 'output' },
    ]);
  });
});
