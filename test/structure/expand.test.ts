/**
 * Expansion and the uniform baseline: the built model's cost (re-parsed from the built model, counted by
 * the cost model) is within 1% of the budget for FLOPs, size and latency on zoo models; a pruned model
 * expanded back to the seed's cost has the seed's cost; bad budgets are refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { modelCost } from '../../src/cost/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { expandModel, pruneModel, uniformModel, parseBudget } from '../../src/structure/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, randomizeStats } from './helpers.js';

beforeAll(cpuBackend);

/** Cost of a model counted from its own JSON by the cost model. */
function costOf(model: tf.LayersModel, target: 'flops' | 'size' | 'latency', hardware?: string): number {
  const graph = graphFromModel(model);
  return modelCost(graph, analyzeGroups(graph), target, { hardware });
}

describe('uniform / expand to a budget', () => {
  it('meets a FLOPs budget within 1% on resnet20 (1.7× and 0.5× the seed)', async () => {
    const seed = buildZooModel('resnet20');
    const seedFlops = costOf(seed, 'flops');
    for (const factor of [1.7, 0.5]) {
      const r = await uniformModel(seed, { target: 'flops', budget: factor * seedFlops });
      const built = costOf(r.model, 'flops');
      expect(Math.abs(built / (factor * seedFlops) - 1)).toBeLessThan(0.01);
      expect(r.search.cost).toBeCloseTo(built, 0);
      expect(r.model.getLayer('predictions').outputShape).toEqual([null, 10]);
      expect(r.model.inputs[0].shape).toEqual([null, 32, 32, 3]);
      r.model.dispose();
    }
  });

  it('meets a size budget within 1% on mobilenet-v2 (32×32), widths rounded to 8', async () => {
    const seed = buildZooModel('mobilenet-v2');
    const budget = 0.6 * costOf(seed, 'size');
    const r = await uniformModel(seed, { target: 'size', budget, roundTo: 8 });
    expect(Math.abs(costOf(r.model, 'size') / budget - 1)).toBeLessThan(0.01);
    const stem = r.model.getLayer(seed.layers[1].name).getWeights()[0].shape;
    expect(stem[3]! % 8 === 0 || stem[3] === 1).toBe(true);
  });

  it('meets a latency budget within 1% on vgg11 (T4)', async () => {
    const seed = buildZooModel('vgg11');
    const budget = 1.3 * costOf(seed, 'latency', 'T4');
    const r = await uniformModel(seed, { target: 'latency', budget, hardware: 'T4' });
    expect(Math.abs(costOf(r.model, 'latency', 'T4') / budget - 1)).toBeLessThan(0.01);
  });

  it('expands a pruned model back to the seed cost', async () => {
    const seed = buildZooModel('resnet20', { seed: 4 });
    randomizeStats(seed, 2);
    killChannels(seed, 'stem_bn', [0, 1, 2, 3]);
    for (const b of ['s1b1', 's1b2', 's1b3']) killChannels(seed, `${b}_bn2`, [0, 1, 2, 3]);
    for (const l of seed.layers.filter((x) => /_bn1$/.test(x.name)))
      killChannels(seed, l.name, [0, 2, 4, 6, 8]);
    const seedFlops = costOf(seed, 'flops');
    const pruned = await pruneModel(seed);
    const prunedFlops = costOf(pruned.model, 'flops');
    expect(prunedFlops).toBeLessThan(0.8 * seedFlops);
    expect(pruned.structure.cost!.after).toBeCloseTo(prunedFlops, 0);
    const r = await expandModel(pruned.model, { target: 'flops', budget: parseBudget('100%', seedFlops) });
    expect(Math.abs(costOf(r.model, 'flops') / seedFlops - 1)).toBeLessThan(0.01);
    expect(r.search.omega).toBeGreaterThan(1);
    expect(r.structure.cost!.before).toBeCloseTo(prunedFlops, 0);
  });

  it('expands from the structure over the full model the same as from the pruned model', async () => {
    const seed = buildZooModel('net-a', { seed: 1 });
    randomizeStats(seed, 5);
    const bn = seed.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    killChannels(seed, bn.name, [0, 1, 2]);
    const pruned = await pruneModel(seed);
    const budget = costOf(seed, 'flops');
    const fromPruned = await expandModel(pruned.model, { target: 'flops', budget });
    const fromStructure = await expandModel(seed, { target: 'flops', budget, structure: pruned.structure });
    expect(fromStructure.structure.alive).toEqual(fromPruned.structure.alive);
  });

  it('keeps the pruned weights in the first channels on request', async () => {
    const seed = buildZooModel('tiny', { seed: 3 });
    const graph = graphFromModel(seed);
    const budget = 2 * modelCost(graph, analyzeGroups(graph), 'flops');
    const r = await expandModel(seed, { target: 'flops', budget, keepWeights: true });
    const conv = seed.layers.find((l) => l.getClassName() === 'Conv2D')!;
    const before = conv.getWeights()[0];
    const after = r.model.getLayer(conv.name).getWeights()[0];
    expect(after.shape[3]).toBeGreaterThan(before.shape[3]!);
    const head = after.slice([0, 0, 0, 0], before.shape as number[]);
    expect(Array.from(head.dataSync())).toEqual(Array.from(before.dataSync()));
  });

  it("expands a structure over the full model keeping the alive channels' weights first", async () => {
    const seed = buildZooModel('net-a', { seed: 6 });
    randomizeStats(seed, 8);
    const convs = seed.layers.filter((l) => l.getClassName() === 'Conv2D');
    const bns = seed.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    killChannels(seed, bns[0].name, [0, 2, 5]);
    const pruned = await pruneModel(seed);
    const budget = 1.5 * costOf(pruned.model, 'flops');
    const r = await expandModel(seed, {
      target: 'flops',
      budget,
      structure: pruned.structure,
      keepWeights: true,
    });
    // the second conv reads the pruned group: its kernel's leading block is the pruned model's kernel
    const name = convs[1].name;
    const small = pruned.model.getLayer(name).getWeights()[0];
    const big = r.model.getLayer(name).getWeights()[0];
    expect(big.shape[2]).toBeGreaterThan(small.shape[2]!);
    const head = big.slice([0, 0, 0, 0], small.shape as number[]);
    expect(Array.from(head.dataSync())).toEqual(Array.from(small.dataSync()));
  });

  it('refuses a budget below the cheapest architecture and a latency target without hardware', async () => {
    const seed = buildZooModel('tiny');
    await expect(uniformModel(seed, { target: 'flops', budget: 10 })).rejects.toThrow(/below the cheapest/);
    await expect(uniformModel(seed, { target: 'latency', budget: 1e6 })).rejects.toThrow(
      /needs the hardware option/,
    );
  });
});

describe('parseBudget', () => {
  it('reads percentages of the current cost and absolute amounts with suffixes', () => {
    expect(parseBudget('50%', 300)).toBe(150);
    expect(parseBudget('2.5M', 1)).toBe(2.5e6);
    expect(parseBudget('1e3', 1)).toBe(1000);
    expect(() => parseBudget('0%', 10)).toThrow(/positive/);
    expect(() => parseBudget('abc', 10)).toThrow(/not a number/);
    expect(() => parseBudget('-5', 10)).toThrow();
  });
});
