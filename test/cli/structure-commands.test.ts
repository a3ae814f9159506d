/**
 * `morphnet prune`, `expand` and `uniform` end to end (built CLI): files written, equal outputs after
 * prune, budgets met, and bad input refused in one sentence before any output is written.
 */
import { graphFromModel } from '../../src/graph/index.js';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCost } from '../../src/cost/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { loadModel, saveModel } from '../../src/io/index.js';
import { runCliAsync } from '../helpers/cli.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, maxOutputDiff, randomizeStats } from '../structure/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'morphnet-structure-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seed: tf.LayersModel;
const seedJson = join(dir, 'seed', 'model.json');

/** conv 3×3 valid (8) → bn → relu → conv 1×1 (6) → bn → relu → flatten → dense (3). */
beforeAll(async () => {
  await cpuBackend();
  const x = tf.input({ shape: [6, 6, 2], name: 'x' });
  let h = apply(tf.layers.conv2d({ name: 'c1', filters: 8, kernelSize: 3 }), x);
  h = apply(tf.layers.reLU({ name: 'r1' }), apply(tf.layers.batchNormalization({ name: 'bn1' }), h));
  h = apply(tf.layers.conv2d({ name: 'c2', filters: 6, kernelSize: 1 }), h);
  h = apply(tf.layers.reLU({ name: 'r2' }), apply(tf.layers.batchNormalization({ name: 'bn2' }), h));
  const y = apply(tf.layers.dense({ name: 'fc', units: 3 }), apply(tf.layers.flatten({ name: 'flat' }), h));
  seed = tf.model({ inputs: x, outputs: y });
  randomizeStats(seed, 17);
  killChannels(seed, 'bn1', [0, 3, 5], 0.4);
  killChannels(seed, 'bn2', [2], 0.3);
  await saveModel(seed, join(dir, 'seed'));
});

function expectOneSentenceError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n').length).toBe(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('morphnet prune / expand / uniform', () => {
  it('prune writes the pruned model and its structure; outputs equal the original', async () => {
    const out = join(dir, 'pruned');
    const r = await runCliAsync(['prune', seedJson, '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.alive).toEqual({ c1: 5, c2: 5, fc: 3 });
    expect(summary.cost.flops.after).toBeLessThan(summary.cost.flops.before);
    const structure = JSON.parse(readFileSync(join(out, 'structure.json'), 'utf8'));
    expect(structure).toMatchObject({
      version: 1,
      target: 'flops',
      threshold: 0.01,
      masks: { c1: [1, 2, 4, 6, 7] },
    });
    const pruned = await loadModel(join(out, 'model.json'));
    expect(pruned.getLayer('fc').getWeights()[0].shape).toEqual([4 * 4 * 5, 3]);
    expect(maxOutputDiff(seed, pruned)).toBeLessThanOrEqual(1e-5);
  });

  it('expand: a structure over the full model, back to 100% of its cost, with the table on stdout', async () => {
    const out = join(dir, 'expanded');
    const r = await runCliAsync([
      'expand',
      join(dir, 'pruned', 'structure.json'),
      '--model',
      seedJson,
      '--target',
      'flops',
      '--budget',
      '100%',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    // a tiny net has coarse widths: the nearest achievable cost is reported, one line, not an error
    expect(r.stderr).toMatch(
      /^(morphnet: warning: the nearest achievable cost \d+ is -?[\d.]+% off the budget 6720 \(integer widths\)\.\n)?$/,
    );
    expect(r.stdout).toMatch(/^resource\s+before\s+after/);
    expect(r.stdout).toMatch(/ω = [\d.]+: flops/);
    const structure = JSON.parse(readFileSync(join(out, 'structure.json'), 'utf8'));
    const graph = graphFromModel(seed);
    const seedFlops = modelCost(graph, analyzeGroups(graph), 'flops');
    expect(seedFlops).toBe(6720);
    expect(Math.abs(structure.cost.after / seedFlops - 1)).toBeLessThan(0.1);
    expect(structure.cost.before).toBeLessThan(seedFlops);
    const expanded = await loadModel(join(out, 'model.json'));
    const g = graphFromModel(expanded);
    expect(modelCost(g, analyzeGroups(g), 'flops')).toBe(structure.cost.after);
  });

  it('expand: a structure beside its pruned model.json expands that model', async () => {
    const out = join(dir, 'expanded-pruned');
    const r = await runCliAsync([
      'expand',
      join(dir, 'pruned', 'structure.json'),
      '--target',
      'size',
      '--budget',
      '200%',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const pruned = await loadModel(join(dir, 'pruned', 'model.json'));
    const g = graphFromModel(pruned);
    expect(s.cost.size.before).toBe(modelCost(g, analyzeGroups(g), 'size'));
    expect(s.budget).toBe(2 * s.cost.size.before);
    expect(s.omega).toBeGreaterThan(1);
  });

  it('uniform on a zoo model meets a size budget (--json) within 1%', async () => {
    const out = join(dir, 'uniform');
    const r = await runCliAsync([
      'uniform',
      'zoo:resnet20',
      '--target',
      'size',
      '--budget',
      '150k',
      '--out',
      out,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(Math.abs(s.achieved / 150e3 - 1)).toBeLessThan(0.01);
    expect(s.cost.size.after).toBeCloseTo(s.achieved, 0);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });

  it('refuses bad input in one sentence, writing nothing', async () => {
    const topo = JSON.parse(readFileSync(seedJson, 'utf8'));
    delete topo.weightsManifest;
    const topoOnly = join(dir, 'topology-only.json');
    writeFileSync(topoOnly, JSON.stringify(topo));
    const out = join(dir, 'never');
    expectOneSentenceError(
      await runCliAsync(['prune', topoOnly, '--out', out]),
      /topology-only\.json: has no weights \(topology only\); prune needs/,
    );
    const badStructure = join(dir, 'bad-structure.json');
    writeFileSync(badStructure, JSON.stringify({ version: 1, target: 'flops', alive: { c1: 20 } }));
    expectOneSentenceError(
      await runCliAsync(['prune', seedJson, '--structure', badStructure, '--out', out]),
      /bad-structure\.json: layer "c1" has 8 output channels, the structure keeps 20\./,
    );
    expectOneSentenceError(
      await runCliAsync(['uniform', seedJson, '--target', 'flops', '--budget', '10', '--out', out]),
      /below the cheapest architecture/,
    );
    expectOneSentenceError(
      await runCliAsync(['uniform', seedJson, '--target', 'latency', '--budget', '50%', '--out', out]),
      /--hardware/,
    );
    expectOneSentenceError(
      await runCliAsync(['expand', seedJson, '--target', 'flops', '--budget', 'lots', '--out', out]),
      /--budget "lots"/,
    );
    expect(existsSync(out)).toBe(false);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'notes.txt'), 'mine');
    expectOneSentenceError(
      await runCliAsync(['prune', seedJson, '--out', busy]),
      /--out .*busy: is a folder with other files in it/,
    );
    expect(readdirSync(busy)).toEqual(['notes.txt']);
  });
});
