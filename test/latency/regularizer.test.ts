/**
 * The latency regularizer on a measured profile: every class's coefficient equals the derivative of the
 * profile's model cost with respect to that channel (central differences of the cost path's `opCostAt`,
 * exact for a bilinear cost), on nets with a residual group, a depthwise group and a concat; and tf.grad of
 * the regularizer's tf.js term equals coefficient · sign(γ) (the same checks as the FLOPs regularizer).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { opCostAt } from '../../src/cost/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import type { ModelGraph } from '../../src/graph/types.js';
import { GammaLatency, weightTensors, type NetworkRegularizer } from '../../src/regularizers/index.js';
import type { GroupAnalysis } from '../../src/groups/types.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { concatModel, CONCAT_GAMMAS, residualNet, setWeights, weightsOf } from '../regularizers/nets.js';
import { profileOf, useProfile } from './helpers.js';

beforeAll(cpuBackend);

/** Every kind these nets use gets every coefficient, so each term of the form is exercised. */
const PROFILE = profileOf({
  input: { c: 0.3, d: 5000 },
  conv: { a: 0.02, b: 0.4, c: 0.3, d: 2000, w: 0.07 },
  conv1x1: { a: 0.015, b: 0.2, c: 0.25, d: 1500, w: 0.05 },
  depthwise: { b: 0.3, c: 0.05, d: 1200, w: 0.09 },
  dense: { a: 0.05, b: 0.3, c: 0.4, d: 1800, w: 0.03 },
  batchnorm: { b: 0.1, c: 0.05, d: 400 },
  activation: { b: 0.02, c: 0.08, d: 300 },
  'global-pool': { b: 0.35, c: 0.5, d: 2500 },
  add: { b: 0.12, c: 0.2, d: 900 },
  concat: { b: 0.09, c: 0.1, d: 700 },
});

/** The model cost with a real-valued alive vector (1 alive, 0 dead, fractions in between). */
function costAt(graph: ModelGraph, groups: GroupAnalysis, x: Float64Array): number {
  const hw = useProfile(PROFILE);
  const count = (t: string) => groups.tensorClasses.get(t)!.reduce((s, c) => s + x[c], 0);
  let total = 0;
  for (const op of graph.ops) {
    const nIn = op.inputs.reduce((s, t) => s + count(t), 0);
    total += opCostAt(graph, op, 'latency', nIn, count(op.outputs[0]), hw);
  }
  return total;
}

/** Checks class weights against central differences of the cost, and tf.grad of the loss term. */
async function check(model: tf.LayersModel, gammas: Record<string, number[]>, threshold?: number) {
  setWeights(model, gammas);
  const graph = graphFromModel(model);
  const reg: NetworkRegularizer = new GammaLatency(graph, useProfile(PROFILE), { threshold });
  const state = reg.evaluate(await weightsOf(model, reg.weightNames));
  const groups = reg.groups;
  const x = Float64Array.from(state.alive);
  const regularized = new Set(reg.sources.flatMap((s) => [...s.ids]));
  let checked = 0;
  for (let c = 0; c < groups.classCount; c++) {
    if (!regularized.has(c) || groups.classPinned[c]) continue;
    const h = 0.25;
    const up = Float64Array.from(x);
    const down = Float64Array.from(x);
    up[c] += h;
    down[c] -= h;
    const derivative = (costAt(graph, groups, up) - costAt(graph, groups, down)) / (2 * h);
    expect(state.classWeights[c] / derivative, `class ${c}`).toBeCloseTo(1, 9);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
  // The cost the regularizer reports is the profile's cost at the alive mask.
  expect(state.cost / costAt(graph, groups, x)).toBeCloseTo(1, 12);
  // tf.grad of the tf.js term: coefficient · sign(γ).
  const lookup = weightTensors(model);
  const names = reg.weightNames;
  const grads = tf.grads((...ts: tf.Tensor[]) =>
    reg.lossTensor(new Map(names.map((n, i) => [n, ts[i]])), state.alive),
  )(names.map((n) => lookup(n)!));
  for (let i = 0; i < names.length; i++) {
    const g = await grads[i].data();
    const coef = state.coefficients.get(names[i])!;
    g.forEach((v, j) => expect(v / 1e3).toBeCloseTo((coef[j] * Math.sign(gammas[names[i]][j])) / 1e3, 3));
  }
  return state;
}

describe('latency regularizer on a measured profile: coefficients = ∂ cost / ∂ channel', () => {
  it('residual net (a group that is both input and output of c2 and the add)', async () => {
    const state = await check(residualNet(), {
      'bn1/gamma': [0.5, -0.005, 0.002],
      'bn2/gamma': [0.1, 0.3, -0.004],
      'bn3/gamma': [0.2, 0.008],
    });
    expect(state.loss).toBeGreaterThan(0);
  });

  it('depthwise chain (input and output channels tied)', async () => {
    const x = tf.input({ shape: [6, 6, 2], name: 'image' });
    const b1 = apply(
      tf.layers.batchNormalization({ name: 'bn1' }),
      apply(tf.layers.conv2d({ name: 'c1', filters: 4, kernelSize: 1, useBias: false }), x),
    );
    const b2 = apply(
      tf.layers.batchNormalization({ name: 'bn2' }),
      apply(tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', useBias: false }), b1),
    );
    const r = apply(tf.layers.reLU({ name: 'relu' }), b2);
    const out = apply(
      tf.layers.dense({ name: 'head', units: 2, activation: 'softmax' }),
      apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), r),
    );
    await check(tf.model({ inputs: x, outputs: out }), {
      'bn1/gamma': [0.4, 0.001, 0.2, 0.3],
      'bn2/gamma': [0.1, 0.002, -0.5, 0.004],
    });
  });

  it("morph-net's concat model (slices of a concat, stride 2)", async () => {
    await check(concatModel(), CONCAT_GAMMAS, 0.45);
  });
});
