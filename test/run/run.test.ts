/**
 * The main job end to end on a small slice of MNIST: `morphnet run` writes every artifact of DESIGN.md, the
 * summary's numbers agree with the saved models (recomputed costs, re-evaluated accuracy), and an
 * interrupted run resumes without redoing or overwriting finished phases.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelCost } from '../../src/cost/index.js';
import { loadDataset } from '../../src/data/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { loadModel } from '../../src/io/index.js';
import { runMorphNet, testAccuracy } from '../../src/run/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { runCliAsync } from '../helpers/cli.js';
import { cpuBackend } from '../helpers/tf.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-run-'));
const SMALL = [
  '--limit',
  '1200',
  '--test-limit',
  '300',
  '--retrain-epochs',
  '1',
  '--shrink-epochs',
  '2',
  '--batch-size',
  '32',
];

describe('morphnet run', () => {
  beforeAll(cpuBackend);

  it('writes every artifact, and the summary agrees with the saved models', async () => {
    const out = path.join(root, 'cli');
    const r = await runCliAsync(['run', ...SMALL, '--out', out, '--json', '--quiet'], { timeoutMs: 600_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    for (const f of [
      'report.html',
      'summary.json',
      'seed/model.json',
      'seed/history.json',
      'uniform/model.json',
      'uniform/structure.json',
      'cycle-1/shrink/model.json',
      'cycle-1/shrink/history.json',
      'cycle-1/shrink/structure.json',
      'cycle-1/shrunk/model.json',
      'cycle-1/shrunk/structure.json',
      'cycle-1/expanded/model.json',
      'cycle-1/expanded/structure.json',
      'cycle-1/expanded/history.json',
    ]) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(printed.seed).toEqual(summary.seed);
    expect(summary.target).toBe('flops');
    const seedFlops = 3_839_744; // zoo:mnist-cnn, checked in the zoo and analyze tests
    expect(summary.seed.flops).toBe(seedFlops);
    expect(summary.budget).toBe(seedFlops);
    expect(summary.shrinkBudget).toBe(seedFlops / 2);
    // Equal-cost comparisons: the uniform baseline and the expanded net land near the budget. mnist-cnn has
    // three prunable groups, so integer widths move its cost in steps of 1–2% (large nets land within 1%,
    // tested in test/structure/expand.test.ts); the deviation is what expand reports.
    expect(Math.abs(summary.uniform.flops / seedFlops - 1)).toBeLessThan(0.03);
    const expandedStructure = JSON.parse(
      readFileSync(path.join(out, 'cycle-1/expanded/structure.json'), 'utf8'),
    );
    expect(expandedStructure.cost.after).toBe(summary.cycles[0].expanded.flops);
    expect(Math.abs(summary.cycles[0].expanded.flops / seedFlops - 1)).toBeLessThan(0.03);
    expect(summary.cycles[0].shrunk.flops).toBeLessThan(seedFlops);

    const test = (await loadDataset('mnist', { limit: 10, testLimit: 300 })).test;
    for (const [phase, figures] of [
      ['seed', summary.seed],
      ['uniform', summary.uniform],
      ['cycle-1/shrunk', summary.cycles[0].shrunk],
      ['cycle-1/expanded', summary.cycles[0].expanded],
    ] as const) {
      const model = await loadModel(path.join(out, phase, 'model.json'));
      const graph = graphFromModel(model);
      const groups = analyzeGroups(graph);
      expect(modelCost(graph, groups, 'flops'), phase).toBe(figures.flops);
      expect(modelCost(graph, groups, 'params'), phase).toBe(figures.params);
      expect(await testAccuracy(model, test, 'auto'), phase).toBeCloseTo(figures.accuracy, 5);
      model.dispose();
    }
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
  });

  it('resumes an interrupted run without redoing finished phases', async () => {
    const out = path.join(root, 'resume');
    const data = await loadDataset('mnist', { limit: 800, testLimit: 200 });
    const options = {
      data,
      out,
      target: 'flops' as const,
      retrainEpochs: 1,
      shrinkEpochs: 1,
      batchSize: 32,
      seed: 3,
    };
    const first = await runMorphNet(buildZooModel('net-b', { seed: 3 }), { ...options, stopAfterPhases: 2 });
    expect(first.finished).toBe(false);
    const seedResult = path.join(out, 'seed', 'result.json');
    const before = { text: readFileSync(seedResult, 'utf8'), mtime: statSync(seedResult).mtimeMs };
    expect(existsSync(path.join(out, 'uniform', 'result.json'))).toBe(true);
    expect(existsSync(path.join(out, 'cycle-1'))).toBe(false);
    const skipped: string[] = [];
    const second = await runMorphNet(buildZooModel('net-b', { seed: 3 }), {
      ...options,
      onPhase: (e) => e.state === 'skip' && skipped.push(e.phase),
    });
    expect(second.finished).toBe(true);
    expect(skipped).toEqual(['seed', 'uniform']);
    expect(readFileSync(seedResult, 'utf8')).toBe(before.text);
    expect(statSync(seedResult).mtimeMs).toBe(before.mtime);
    expect(second.summary.seed.accuracy).toBe(JSON.parse(before.text).accuracy);
    expect(second.summary.cycles).toHaveLength(1);
  });

  it('refuses a finished run folder and bad options before any work', async () => {
    const out = path.join(root, 'cli');
    const again = await runCliAsync(['run', ...SMALL, '--out', out]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/holds a finished "run"/);
    const bad = await runCliAsync(['run', '--shrink-budget', '150%', '--out', path.join(root, 'bad')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--shrink-budget "150%" is not below the seed's cost/);
    expect(existsSync(path.join(root, 'bad'))).toBe(false);
    const data = await runCliAsync([
      'run',
      '--data',
      'synthetic',
      '--limit',
      '100',
      '--out',
      path.join(root, 'bad2'),
    ]);
    expect(data.stderr).toMatch(/--data synthetic: .*32×32×3/);
    expect(existsSync(path.join(root, 'bad2'))).toBe(false);
  });
});
