/**
 * The seed's claim on the zoo's `spread-net` (a wide stage at full resolution, a wide stage at low
 * resolution; here at 10×10×1 with a learnable 4-class task): a FLOPs target removes a larger fraction
 * of the early stage's channels than a size target does, and the size target removes a larger fraction
 * of the late stage's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel } from '../../src/graph/index.js';
import { createRegularizer } from '../../src/regularizers/index.js';
import { trainMorphNet } from '../../src/train/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import type { Target } from '../../src/cost/index.js';
import { cpuBackend } from '../helpers/tf.js';
import { quadrants } from './helpers.js';

beforeAll(cpuBackend);

const data = { train: quadrants(2048, 11, 10), validation: quadrants(256, 12, 10) };
const model = () => buildZooModel('spread-net', { inputShape: [10, 10, 1], classes: 4, seed: 2 });

async function removed(target: Target) {
  const c0 = createRegularizer(graphFromModel(model()), target).initialCost;
  const r = await trainMorphNet(model(), {
    data,
    target,
    budget: 0.5 * c0,
    steps: 200,
    batchSize: 16,
    learningRate: 0.02,
    engine: 'onnx',
    seed: 3,
    onNotice: () => {},
  });
  const a = r.aliveByLayer;
  return {
    early: 1 - (a['s1_conv1'] + a['s1_conv2']) / 96,
    late: 1 - (a['s4_conv1'] + a['s4_conv2']) / 512,
    met: r.cost <= 0.525 * c0,
    alive: a,
  };
}

describe('FLOPs vs size targets on spread-net', () => {
  it('FLOPs prunes the early stage harder, size the late stage', async () => {
    const flops = await removed('flops');
    const size = await removed('size');
    expect(flops.early).toBeGreaterThan(size.early);
    expect(size.late).toBeGreaterThan(flops.late);
  }, 240_000);
});
