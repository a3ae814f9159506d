/**
 * morph-net's regularizer goldens (research/morphnet.md §6.1), now through the regularizer objects:
 * the concat model's FLOP loss 1,410,376.375, the tiny 1×1-conv goldens (loss 54 decorated by 0.5, cost
 * 108; model size 3 / 6) and the GroupLasso MatMul golden 642.636 with RMS norms. Our models need a head
 * after the regularized convs (model outputs are never pruned here): its hand-computed share is added.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel } from '../../src/graph/index.js';
import {
  GammaActivation,
  GammaFlops,
  GammaLatency,
  GammaModelSize,
  GroupLassoFlops,
} from '../../src/regularizers/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { CONCAT_GAMMAS, concatModel, setWeights, weightsOf } from './nets.js';

beforeAll(cpuBackend);

describe('concat model (flop_regularizer_test, activation_regularizer_test, latency_regularizer_test)', () => {
  async function setup() {
    const model = concatModel();
    setWeights(model, CONCAT_GAMMAS);
    const graph = graphFromModel(model);
    return { model, graph };
  }

  it('GammaFlops: loss 1,410,376.375 plus the heads, cost of the alive structure', async () => {
    const { model, graph } = await setup();
    const reg = new GammaFlops(graph, { threshold: 0.45 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // Heads: Dense on the pooled conv3/conv4 (2 units, pinned): loss 2·(nOut·rIn) = 2·2·Σ|γ|.
    const heads = 2 * 2 * 11.7 + 2 * 2 * 14.1;
    expect(state.loss).toBeCloseTo(1_410_376.375 + heads, 1);
    // testCost: 474,810 + 21,318 + 291,600 + 197,676, plus the heads 2·10·2 + 2·17·2.
    expect(state.cost).toBe(474_810 + 21_318 + 291_600 + 197_676 + 40 + 68);
    expect(reg.layerAlive(state.alive).alive).toMatchObject({ conv1: 7, conv2: 11, conv3: 10, conv4: 17 });
    expect(reg.unregularized).toEqual([]);
    expect(state.revived).toEqual([]);
    // The tf.js term equals the loss.
    const t = reg.lossTensor((n) => tf.tensor(CONCAT_GAMMAS[n] ?? []), state.alive);
    expect((await t.data())[0]).toBeCloseTo(state.loss, -1);
  });

  it('GammaActivation: cost 7+11+10+17 (+2+2 heads), loss Σ|γ| of each conv', async () => {
    const { model, graph } = await setup();
    const reg = new GammaActivation(graph, { threshold: 0.45 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    expect(state.cost).toBe(7 + 11 + 10 + 17 + 2 + 2);
    expect(state.loss).toBeCloseTo(6.8 + 8.9 + 11.7 + 14.1, 4);
  });

  it('GammaLatency P100: conv3 + conv4 = 108.989074707 ns inside the total', async () => {
    const { model, graph } = await setup();
    const reg = new GammaLatency(graph, 'P100', { threshold: 0.45 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // conv1 51.0548400879 + conv2 24.8907108307 + conv3/4 108.989074707 (morph-net), plus the BN, concat
    // and head terms, memory-bound: BN (HW·n·4·2)/732 each, concat (HW·18·4·2)/732, heads.
    const bw = 732;
    const bnTerm = (hw: number, n: number) => (2 * hw * n * 4) / bw;
    const extra =
      bnTerm(17 * 19, 7) +
      bnTerm(17 * 19, 11) +
      bnTerm(9 * 10, 10) +
      bnTerm(17 * 19, 17) +
      bnTerm(17 * 19, 18) +
      // Dense heads: max(2·n·2/9300, (n + n·2 + 2)·4/732), memory-bound.
      ((10 + 10 * 2 + 2) * 4) / bw +
      ((17 + 17 * 2 + 2) * 4) / bw;
    expect(state.cost).toBeCloseTo(51.0548400879 + 24.8907108307 + 108.989074707 + extra, 4);
  });
});

/** Image [h,w,3] → 1×1 conv (2 filters) → [BN] → GAP → Dense (2, output). */
function tinyNet(side: number, withBn: boolean): tf.LayersModel {
  const x = tf.input({ shape: [side, side, 3], name: 'image' });
  let y = apply(tf.layers.conv2d({ name: 'conv', filters: 2, kernelSize: 1, useBias: false }), x);
  if (withBn) y = apply(tf.layers.batchNormalization({ name: 'bn' }), y);
  const out = apply(
    tf.layers.dense({ name: 'head', units: 2 }),
    apply(tf.layers.globalAveragePooling2d({}), y),
  );
  return tf.model({ inputs: x, outputs: out });
}

describe('decorator-free tiny goldens', () => {
  it('GammaFlops on [1,3,3,3], 1×1 conv, 2 filters, γ = [1,1]: loss 108 (54 at decorator 0.5), cost 108', async () => {
    const model = tinyNet(3, true);
    setWeights(model, { 'bn/gamma': [1, 1] });
    const reg = new GammaFlops(graphFromModel(model), { threshold: 0.1 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // C = 2·3·3 = 18; conv: cost C·3·2 = 108, loss C·3·Σ|γ| = 108; head: cost 2·2·2 = 8, loss 2·2·2 = 8.
    expect(state.cost).toBe(108 + 8);
    expect(state.loss).toBeCloseTo(108 + 8, 5);
  });

  it('GroupLassoFlops with an all-ones [1,1,3,2] kernel (RMS 1): the same 108 / 108', async () => {
    const model = tinyNet(3, false);
    setWeights(model, { 'conv/kernel': [1, 1, 1, 1, 1, 1] });
    const reg = new GroupLassoFlops(graphFromModel(model), { threshold: 0.1 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    expect([...state.values.get('conv/kernel')!]).toEqual([1, 1]);
    expect(state.cost).toBe(108 + 8);
    expect(state.loss).toBeCloseTo(108 + 8, 5);
  });

  it('GammaModelSize on [1,1,1,3]: loss 6 (3 at decorator 0.5), cost 6', async () => {
    const model = tinyNet(1, true);
    setWeights(model, { 'bn/gamma': [1, 1] });
    const reg = new GammaModelSize(graphFromModel(model), { threshold: 0.1 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // head: size 2·2 = 4, loss nOut·rIn = 2·2 = 4.
    expect(state.cost).toBe(6 + 4);
    expect(state.loss).toBeCloseTo(6 + 4, 5);
  });
});

describe('GroupLasso MatMul golden (testFlopRegularizerWithMatMul, RMS)', () => {
  it('w = arange(24) as 6×4, w2 = 21..24, threshold 32: every channel dead, loss 642.636', async () => {
    const x = tf.input({ shape: [6], name: 'x' });
    const h = apply(tf.layers.dense({ name: 'd1', units: 4, useBias: false }), x);
    const out = apply(tf.layers.dense({ name: 'd2', units: 1, useBias: false }), h);
    const model = tf.model({ inputs: x, outputs: out });
    setWeights(model, {
      'd1/kernel': Array.from({ length: 24 }, (_, i) => i),
      'd2/kernel': [21, 22, 23, 24],
    });
    const reg = new GroupLassoFlops(graphFromModel(model), { threshold: 32 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    const rms = [...state.values.get('d1/kernel')!];
    expect(rms.map((v) => Number(v.toFixed(2)))).toEqual([12.11, 12.95, 13.81, 14.69]);
    // d1's loss is morph-net's golden 2·6·Σrms = 642.636; d2 (output, pinned) adds 2·nOut·rIn = 2·Σrms.
    const sum = rms.reduce((s, v) => s + v, 0);
    expect(2 * 6 * sum).toBeCloseTo(642.636, 2);
    expect(state.loss).toBeCloseTo(642.636 + 2 * sum, 2);
    // morph-net's cost is 0 (all dead); our dead-channel rule keeps the group's strongest channel (the 4th).
    expect(state.revived.map((r) => r.layers[0])).toEqual(['d1']);
    expect(reg.layerAlive(state.alive).masks['d1']).toEqual([3]);
    expect(state.cost).toBe(2 * 6 * 1 + 2 * 1 * 1);
  });
});
