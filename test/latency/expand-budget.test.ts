/**
 * Expansion to a latency budget on a measured profile (the onnx-cpu profile measured on this project's
 * machine, a fixture): the uniform baseline and MorphNet's expand land within 2% of the budget by the
 * profile, counted again on the built model; the per-layer fixed costs make the cheapest architecture
 * dearer than FLOPs would, and a budget below it is refused in one sentence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { modelCost } from '../../src/cost/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { expandModel, pruneModel, uniformModel } from '../../src/structure/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, randomizeStats } from '../structure/helpers.js';
import { fixtureProfile, useProfile } from './helpers.js';

beforeAll(async () => {
  await cpuBackend();
  useProfile(fixtureProfile());
});

const latency = (model: tf.LayersModel) => {
  const graph = graphFromModel(model);
  return modelCost(graph, analyzeGroups(graph), 'latency', { hardware: 'onnx-cpu' });
};

describe('expand to a latency budget on a measured profile', () => {
  it.each([
    ['resnet20', undefined, 0.6],
    ['mobilenet-v2', [32, 32, 3], 0.7],
    ['resnet20', undefined, 1.4],
  ] as const)('uniform %s %s to %s× its latency: within 2%', async (name, inputShape, factor) => {
    const seed = buildZooModel(name, { inputShape: inputShape as [number, number, number] | undefined });
    const budget = factor * latency(seed);
    const r = await uniformModel(seed, { target: 'latency', budget, hardware: 'onnx-cpu' });
    expect(Math.abs(latency(r.model) / budget - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.search.deviation)).toBeLessThan(0.02);
    expect(r.structure.hardware).toBe('onnx-cpu');
    r.model.dispose();
  });

  it('a pruned resnet20 expanded back to 90% of the seed latency: within 2%', async () => {
    const seed = buildZooModel('resnet20', { seed: 4 });
    randomizeStats(seed, 2);
    for (const l of seed.layers.filter((x) => /_bn1$/.test(x.name)))
      killChannels(seed, l.name, [0, 2, 4, 6, 8]);
    const pruned = await pruneModel(seed, { target: 'latency', hardware: 'onnx-cpu', measure: 'never' });
    expect(latency(pruned.model)).toBeLessThan(latency(seed));
    const budget = 0.9 * latency(seed);
    const r = await expandModel(pruned.model, { target: 'latency', budget, hardware: 'onnx-cpu' });
    expect(Math.abs(latency(r.model) / budget - 1)).toBeLessThan(0.02);
  });

  it('refuses a budget below the cheapest architecture (fixed costs included)', async () => {
    const seed = buildZooModel('mnist-cnn');
    const graph = graphFromModel(seed);
    const groups = analyzeGroups(graph);
    const flopsFloor = 0.05 * modelCost(graph, groups, 'latency', { hardware: 'onnx-cpu' });
    await expect(
      uniformModel(seed, { target: 'latency', budget: flopsFloor, hardware: 'onnx-cpu' }),
    ).rejects.toThrow(/^the budget .* ns is below the cheapest architecture of this model/);
  });
});
