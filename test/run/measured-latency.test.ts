/**
 * `run` on a measured runtime: the latency target prices networks by the profile (onnx-cpu, the fixture),
 * every network of the summary gets its measured end-to-end latency (ns, timed side by side) beside its
 * FLOPs, the report shows it, and `onnx: true` writes model.onnx beside each phase's model.json.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCost } from '../../src/cost/index.js';
import { loadDataset } from '../../src/data/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { runMorphNet } from '../../src/run/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend } from '../helpers/tf.js';
import { fixtureProfile, useProfile } from '../latency/helpers.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-run-latency-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(cpuBackend);

describe('run --target latency --hardware onnx-cpu', () => {
  it('records each network’s measured latency in summary.json and the report', async () => {
    const hw = useProfile(fixtureProfile());
    const seed = buildZooModel('net-b', { seed: 3 });
    const graph = graphFromModel(seed);
    const seedCost = modelCost(graph, analyzeGroups(graph), 'latency', { hardware: hw });
    const out = path.join(root, 'run');
    const r = await runMorphNet(seed, {
      data: await loadDataset('mnist', { limit: 400, testLimit: 100 }),
      out,
      target: 'latency',
      hardware: 'onnx-cpu',
      budget: 0.8 * seedCost,
      shrinkBudget: 0.6 * seedCost,
      retrainEpochs: 1,
      shrinkEpochs: 1,
      batchSize: 32,
      seed: 3,
      onnx: true,
    });
    expect(r.finished).toBe(true);
    const s = r.summary;
    expect(s.seed.cost).toBeCloseTo(seedCost, 6);
    expect(Math.abs(s.cycles[0].expanded.cost! / (0.8 * seedCost) - 1)).toBeLessThan(0.03);
    for (const f of [s.seed, s.uniform, s.cycles[0].shrunk, s.cycles[0].expanded]) {
      const m = f.measuredLatency!;
      expect(m.hardware).toBe('onnx-cpu');
      expect(m.runs).toBe(30);
      expect(m.min).toBeGreaterThan(0);
      expect(m.p25).toBeLessThanOrEqual(m.median);
      expect(m.median).toBeLessThanOrEqual(m.p75);
    }
    const onDisk = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(onDisk.uniform.measuredLatency.median).toBe(s.uniform.measuredLatency!.median);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('measured latency (onnx-cpu, batch 1)');
    for (const phase of ['seed', 'uniform', 'cycle-1/shrunk', 'cycle-1/expanded'])
      expect(existsSync(path.join(out, phase, 'model.onnx')), phase).toBe(true);
  }, 600_000);
});
