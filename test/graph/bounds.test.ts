/**
 * Resource bounds (issue 20, item 7): a model whose sizes would exhaust memory is refused in one sentence
 * naming the file and the layer before anything is allocated, while real models (VGG-16's 25,088 × 4,096
 * kernel, ≈ 1.03e8 elements) pass; and channel grouping stays near-linear in the number of layers (20,000
 * conv layers took 117 s before; the timeout below fails such a regression).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/analyze/index.js';
import { parseModelJson } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { runCli } from '../helpers/cli.js';
import { refusalOf } from '../layers/harness.js';

/** A Sequential model.json: an input of `shape`, then the given layers. */
function sequential(shape: number[], layers: { class_name: string; config: Record<string, unknown> }[]) {
  const [first, ...rest] = layers;
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [{ ...first, config: { ...first.config, batch_input_shape: [null, ...shape] } }, ...rest],
      },
    },
  };
}

const conv = (name: string, filters: number, kernel = 3) => ({
  class_name: 'Conv2D',
  config: { name, filters, kernel_size: [kernel, kernel], padding: 'same' },
});

const FILE = 'big/model.json';

describe('size bounds', () => {
  it('refuses filters: 1e9 at once, naming the file and the layer', () => {
    const message = refusalOf(sequential([32, 32, 3], [conv('c1', 8), conv('huge', 1e9)]), FILE);
    expect(message).toMatch(/^big\/model\.json: layer "huge" \(Conv2D\): /);
    expect(message).toMatch(/2\^31 − 1 elements\.$/);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('`analyze` refuses it in one line on stderr, at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'morphnet-bounds-'));
    try {
      const file = join(dir, 'model.json');
      writeFileSync(file, JSON.stringify(sequential([32, 32, 3], [conv('c1', 8), conv('huge', 1e9)])));
      const r = runCli(['analyze', file], { timeoutMs: 30_000 });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        /^morphnet: .*model\.json: layer "huge" \(Conv2D\): gives a 32 × 32 × 1000000000 output/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a channel count the grouping cannot index, even on a 1×1 input', () => {
    const message = refusalOf(
      sequential([1, 1, 3], [{ class_name: 'Dense', config: { name: 'wide', units: 3e8 } }]),
      FILE,
    );
    expect(message).toMatch(/layer "wide" \(Dense\): gives 3\.00e\+8 channels; .*2\^24/);
  });

  it('refuses an activation above 2^31 − 1 elements (a huge up-sampling)', () => {
    const message = refusalOf(
      sequential([64, 64, 16], [{ class_name: 'UpSampling2D', config: { name: 'up', size: [1024, 1024] } }]),
      FILE,
    );
    expect(message).toMatch(/layer "up" \(UpSampling2D\): gives a 65536 × 65536 × 16 output/);
  });

  it("admits VGG-16's 25,088 × 4,096 kernel", () => {
    const graph = parseModelJson(
      sequential(
        [7, 7, 512],
        [
          { class_name: 'Flatten', config: { name: 'flatten' } },
          { class_name: 'Dense', config: { name: 'fc1', units: 4096 } },
        ],
      ),
    );
    expect(graph.layers.get('fc1')!.weights[0].shape).toEqual([25088, 4096]);
    expect(graph.layers.get('fc1')!.params).toBe(25088 * 4096 + 4096);
  });
});

describe('grouping scale', () => {
  it('groups and costs a chain of 20,000 conv layers in seconds', { timeout: 60_000 }, () => {
    const layers = Array.from({ length: 20_000 }, (_, i) => conv(`c${i}`, 4, 1));
    const graph = parseModelJson(sequential([2, 2, 3], layers));
    const groups = analyzeGroups(graph);
    // every conv starts its own group; the last one is the model output (pinned)
    expect(groups.groups).toHaveLength(20_001);
    expect(groups.sources).toHaveLength(20_000);
    const report = analyzeGraph(graph, { groups });
    // 2·1·1·Cin·Cout·H·W per conv: 2·3·4·4 for the first, 2·4·4·4 for the 19,999 others
    expect(report.total.flops).toBe(2 * 3 * 4 * 4 + 19_999 * 2 * 4 * 4 * 4);
  });
});
