/**
 * Coefficients vs the tf.js term vs hand-computed formulas on small nets with residual, concat and
 * depthwise groups: the loss, the cost, the per-source coefficients (max grouping: only the source holding
 * a class's max gets it) and tf.grad of the tf.js term.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { aliveCounts, latencyLoss, modelCost, opTerms, hardware } from '../../src/cost/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import {
  GammaFlops,
  GammaLatency,
  GammaModelSize,
  GroupLassoModelSize,
  weightTensors,
  type NetworkRegularizer,
} from '../../src/regularizers/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { CONCAT_GAMMAS, concatModel, residualNet, setWeights, weightsOf } from './nets.js';

beforeAll(cpuBackend);

const RESIDUAL_GAMMAS = {
  'bn1/gamma': [0.5, -0.005, 0.002],
  'bn2/gamma': [0.1, 0.3, -0.004],
  'bn3/gamma': [0.2, 0.008],
};

/** tf.grad of the regularizer's tf.js term w.r.t. each of its source weights. */
async function termGradients(model: tf.LayersModel, reg: NetworkRegularizer, alive: Uint8Array) {
  const lookup = weightTensors(model);
  const names = reg.weightNames;
  const tensors = names.map((n) => lookup(n)!);
  const grads = tf.grads((...ts: tf.Tensor[]) =>
    reg.lossTensor(new Map(names.map((n, i) => [n, ts[i]])), alive),
  )(tensors);
  const out = new Map<string, Float32Array>();
  for (let i = 0; i < names.length; i++) out.set(names[i], (await grads[i].data()) as Float32Array);
  return out;
}

describe('residual net (one residual group: c1, bn1, c2, bn2, add)', () => {
  async function setup() {
    const model = residualNet();
    setWeights(model, RESIDUAL_GAMMAS);
    return { model, graph: graphFromModel(model) };
  }

  it('FLOPs: hand-computed loss, cost and max-grouping coefficients; tf.grad matches', async () => {
    const { model, graph } = await setup();
    const reg = new GammaFlops(graph);
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // Residual group: max|γ| = [0.5, 0.3, 0.004] → 2 alive, r = 0.804; bn3 group: [0.2, 0.008] → 1, 0.208.
    // c1: 32·nA·2 = 128, loss 32·2·0.804; c2 (3×3): 288·2·2 = 1152, loss 288·(2·0.804 + 2·0.804);
    // c3: 32·2·1 = 64, loss 32·(2·0.208 + 1·0.804); head: 2·1·2 = 4, loss 2·2·0.208.
    expect(state.cost).toBe(128 + 1152 + 64 + 4);
    expect(state.loss).toBeCloseTo(51.456 + 926.208 + 39.04 + 0.832, 3);
    expect(reg.layerAlive(state.alive).alive).toMatchObject({ c1: 2, c2: 2, c3: 1 });
    // ∂loss/∂r: residual classes 32·2 + 288·2 + 288·2 + 32·1 = 1248; bn3's 32·2 + 2·2 = 68.
    expect([...state.coefficients.get('bn1/gamma')!]).toEqual([1248, 0, 0]);
    expect([...state.coefficients.get('bn2/gamma')!]).toEqual([0, 1248, 1248]);
    expect([...state.coefficients.get('bn3/gamma')!]).toEqual([68, 68]);
    // The tf.js term: same value, and its gradient is coefficient·sign(γ).
    const t = reg.lossTensor(weightTensors(model), state.alive);
    expect((await t.data())[0]).toBeCloseTo(state.loss, 2);
    const grads = await termGradients(model, reg, state.alive);
    for (const [name, g] of grads) {
      const gamma = RESIDUAL_GAMMAS[name as keyof typeof RESIDUAL_GAMMAS];
      const want = [...state.coefficients.get(name)!].map((c, i) => c * Math.sign(gamma[i]));
      [...g].forEach((v, i) => expect(v).toBeCloseTo(want[i], 3));
    }
    // Engine coefficients are λ times these.
    expect([...reg.engineCoefficients(state, 1e-3)['bn2/gamma']].map((v) => +v.toFixed(4))).toEqual([
      0, 1.248, 1.248,
    ]);
  });

  it('model size: hand-computed loss and cost', async () => {
    const { model, graph } = await setup();
    const reg = new GammaModelSize(graph);
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // c1 1·2·2, c2 9·2·2, c3 1·2·1, head 1·1·2; w_A = 2 + 18 + 18 + 1 = 39, w_B = 2 + 2 = 4.
    expect(state.cost).toBe(4 + 36 + 2 + 2);
    expect(state.loss).toBeCloseTo(39 * 0.804 + 4 * 0.208, 4);
    expect([...state.coefficients.get('bn1/gamma')!]).toEqual([39, 0, 0]);
  });

  it('latency (P100): cost equals modelCost, loss equals Σ latencyLoss per op, tf.grad matches', async () => {
    const { model, graph } = await setup();
    const reg = new GammaLatency(graph, 'P100');
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    expect(state.cost).toBeCloseTo(
      modelCost(graph, reg.groups, 'latency', { alive: state.alive, hardware: 'P100' }),
      9,
    );
    const r = (t: string) =>
      [...reg.groups.tensorClasses.get(t)!].reduce((s, c) => s + state.classValues[c], 0);
    let want = 0;
    for (const op of graph.ops) {
      const layer = graph.layers.get(op.layer)!;
      const { nIn, nOut } = aliveCounts(reg.groups, op, state.alive);
      const rIn = op.inputs.reduce((s, t) => s + r(t), 0);
      want += latencyLoss(
        opTerms(op, layer, 'flops'),
        opTerms(op, layer, 'memory'),
        hardware('P100'),
        nIn,
        nOut,
        rIn,
        r(op.outputs[0]),
      );
    }
    expect(state.loss).toBeCloseTo(want, 6);
    const grads = await termGradients(model, reg, state.alive);
    for (const [name, g] of grads) {
      const gamma = RESIDUAL_GAMMAS[name as keyof typeof RESIDUAL_GAMMAS];
      [...g].forEach((v, i) =>
        expect(v).toBeCloseTo(state.coefficients.get(name)![i] * Math.sign(gamma[i]), 4),
      );
    }
  });

  it('alive counts follow the threshold', async () => {
    const { model, graph } = await setup();
    const counts = async (threshold: number) => {
      const reg = new GammaFlops(graph, { threshold });
      return reg.layerAlive(reg.evaluate(await weightsOf(model, reg.weightNames)).alive).alive;
    };
    expect(await counts(0.001)).toMatchObject({ c1: 3, c2: 3, c3: 2 });
    expect(await counts(0.01)).toMatchObject({ c1: 2, c2: 2, c3: 1 });
    expect(await counts(0.35)).toMatchObject({ c1: 1, c2: 1, c3: 1 }); // bn3 group revived at its strongest
    expect(await counts(0.0045)).toMatchObject({ c1: 2, c2: 2, c3: 2 });
  });
});

describe('concat model: coefficients and tf.grad through the concat slices', () => {
  it('each conv BN gets ∂loss/∂r of its slice; tf.grad of the term matches', async () => {
    const model = concatModel();
    setWeights(model, CONCAT_GAMMAS);
    const reg = new GammaFlops(graphFromModel(model), { threshold: 0.45 });
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // conv1's slice: conv1 out (22610·3) + conv3 in (1620·10) + conv4 in (646·17).
    const w1 = 22610 * 3 + 1620 * 10 + 646 * 17;
    expect(state.coefficients.get('conv1_bn/gamma')![0]).toBeCloseTo(w1, 3);
    // conv3: conv3 out (1620·18) + head3 in (2·2).
    expect(state.coefficients.get('conv3_bn/gamma')![0]).toBeCloseTo(1620 * 18 + 4, 3);
    const grads = await termGradients(model, reg, state.alive);
    for (const [name, g] of grads) {
      [...g].forEach((v, i) =>
        expect(v / 1e4).toBeCloseTo(
          (state.coefficients.get(name)![i] * Math.sign(CONCAT_GAMMAS[name][i])) / 1e4,
          3,
        ),
      );
    }
  });
});

describe('depthwise: input and output channels tied, max over the producer and the depthwise BN', () => {
  it('loss C_dw·(rIn + rOut) on the shared group; the larger |γ| holds each class', async () => {
    const x = tf.input({ shape: [5, 5, 2], name: 'image' });
    const b1 = apply(
      tf.layers.batchNormalization({ name: 'bn1' }),
      apply(tf.layers.conv2d({ name: 'c1', filters: 3, kernelSize: 1, useBias: false }), x),
    );
    const b2 = apply(
      tf.layers.batchNormalization({ name: 'bn2' }),
      apply(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', useBias: false }), b1),
    );
    const out = apply(
      tf.layers.dense({ name: 'head', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({}), b2),
    );
    const model = tf.model({ inputs: x, outputs: out });
    setWeights(model, { 'bn1/gamma': [0.4, 0.001, 0.2], 'bn2/gamma': [0.1, 0.002, -0.5] });
    const reg = new GammaFlops(graphFromModel(model));
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    // r = max = [0.4, 0.002, 0.5]: 2 alive, Σ = 0.902. c1: a = 2·25 = 50: cost 50·2·2 = 200,
    // loss 50·2·0.902; dw: C = 2·9·25 = 450: cost 450·2, loss 450·(0.902 + 0.902); head: 2·2·2, 2·2·0.902.
    expect(state.cost).toBe(200 + 900 + 8);
    expect(state.loss).toBeCloseTo((100 + 900 + 4) * 0.902, 3);
    expect([...state.coefficients.get('bn1/gamma')!]).toEqual([1004, 0, 0]);
    expect([...state.coefficients.get('bn2/gamma')!]).toEqual([0, 1004, 1004]);
  });
});

describe('group lasso coefficients', () => {
  it('engine coefficient c[o] = λ·∂loss/∂RMS_o/√n_o gives tf.grad of the term', async () => {
    const model = residualNet();
    const reg = new GroupLassoModelSize(graphFromModel(model));
    const state = reg.evaluate(await weightsOf(model, reg.weightNames));
    const grads = await termGradients(model, reg, state.alive);
    const coefs = reg.engineCoefficients(state, 1);
    const lookup = weightTensors(model);
    for (const [name, g] of grads) {
      const w = lookup(name)!;
      const n = w.shape[w.shape.length - 1];
      const flat = (await w.data()) as Float32Array;
      // The engine's extra gradient: c[o]·w/‖w_o‖₂ over the last axis.
      const norms = new Float64Array(n);
      flat.forEach((v, i) => (norms[i % n] += v * v));
      flat.forEach((v, i) => expect(g[i]).toBeCloseTo((coefs[name][i % n] * v) / Math.sqrt(norms[i % n]), 4));
    }
    expect(reg.unregularized).toEqual([]);
  });
});

describe('unregularized groups are reported', () => {
  it('names the BN with scale: false and the group without BN', () => {
    const x = tf.input({ shape: [4, 4, 2], name: 'image' });
    const a = apply(
      tf.layers.batchNormalization({ name: 'bn_noscale', scale: false }),
      apply(tf.layers.conv2d({ name: 'ca', filters: 3, kernelSize: 1 }), x),
    );
    const b = apply(tf.layers.conv2d({ name: 'cb', filters: 4, kernelSize: 1 }), a);
    const out = apply(
      tf.layers.dense({ name: 'head', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({}), b),
    );
    const reg = new GammaFlops(graphFromModel(tf.model({ inputs: x, outputs: out })));
    expect(reg.sources).toEqual([]);
    expect(reg.unregularized.map((u) => [u.layers[0], u.channels, u.reason])).toEqual([
      ['ca', 3, 'BatchNormalization "bn_noscale" has scale: false (no γ)'],
      ['cb', 4, 'no BatchNormalization γ on these channels'],
    ]);
  });
});
