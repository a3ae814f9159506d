/**
 * A measured profile prices an op in morph-net's bilinear form: hand-computed terms per layer class, and
 * the same model latency whether summed per op through the cost path (`modelCost`) or as the fit sees it
 * (features · coefficients).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evalTerms, modelCost } from '../../src/cost/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { kindsVector, modelFeatures, predict, profileTerms } from '../../src/latency/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { fixtureProfile, profileOf, useProfile } from './helpers.js';

beforeAll(cpuBackend);

const K = { a: 1, b: 2, c: 3, d: 4, w: 5 };

function opOf(layer: tf.layers.Layer, inputShape: number[]) {
  const x = tf.input({ shape: inputShape, name: 'x' });
  const graph = graphFromModel(tf.model({ inputs: x, outputs: apply(layer, x) }));
  return graph.ops.find((o) => o.className !== 'InputLayer')!;
}

describe('terms of one op (coefficients a=1, b=2, c=3, d=4, w=5 ns)', () => {
  it('Conv2D 3×3 same, 8×8, 4→6: A = a·9·64 + w·9, B = b·64, C = c·64, D = d', () => {
    const op = opOf(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same' }), [8, 8, 4]);
    const t = profileTerms({ conv: K }, op);
    expect([t.a, t.b, t.c, t.d]).toEqual([9 * 64 + 5 * 9, 2 * 64, 3 * 64, 4]);
    expect(evalTerms(t, 4, 6)).toBe(621 * 24 + 128 * 4 + 192 * 6 + 4);
  });

  it('a 1×1 conv is its own kind; stride 2 prices the output positions', () => {
    const op = opOf(tf.layers.conv2d({ filters: 6, kernelSize: 1, strides: 2 }), [8, 8, 4]);
    const t = profileTerms({ conv1x1: K, conv: { a: 99, b: 99, c: 99, d: 99, w: 99 } }, op);
    expect([t.a, t.b, t.c, t.d]).toEqual([16 + 5, 2 * 64, 3 * 16, 4]);
  });

  it('DepthwiseConv2D 3×3: no Cin·Cout term; C = c·9·positions + w·9', () => {
    const op = opOf(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }), [8, 8, 4]);
    const t = profileTerms({ depthwise: K }, op);
    expect([t.a, t.b, t.c, t.d]).toEqual([0, 2 * 64, 3 * 9 * 64 + 5 * 9, 4]);
  });

  it('Dense with ReLU: A = a + w, B = b, C = c + the activation kind per output, one fixed cost', () => {
    const op = opOf(tf.layers.dense({ units: 3, activation: 'relu' }), [5]);
    const t = profileTerms({ dense: K, activation: { a: 0, b: 0, c: 7, d: 100, w: 0 } }, op);
    expect([t.a, t.b, t.c, t.d]).toEqual([1 + 5, 2, 3 + 7, 4]);
  });

  it('loss weights equal the cost derivative: bLoss = b, cLoss = c', () => {
    const op = opOf(tf.layers.batchNormalization({}), [4, 4, 3]);
    const t = profileTerms({ batchnorm: K }, op);
    expect(t).toEqual({ a: 0, b: 32, c: 48, d: 4, bLoss: 32, cLoss: 48 });
  });
});

describe('model latency: the cost path equals features · coefficients', () => {
  it.each([
    ['resnet20', undefined],
    ['mobilenet-v2', [32, 32, 3]],
    ['mnist-cnn', undefined],
  ] as const)('%s', (name, inputShape) => {
    const profile = fixtureProfile();
    const hw = useProfile(profile);
    const graph = graphFromModel(buildZooModel(name, { inputShape: inputShape as [number, number, number] }));
    const viaCost = modelCost(graph, analyzeGroups(graph), 'latency', { hardware: hw });
    const viaFit = predict(modelFeatures(graph), kindsVector(profile.kinds));
    expect(viaCost).toBeGreaterThan(0);
    expect(viaFit / viaCost).toBeCloseTo(1, 9);
    // And by name, once registered.
    expect(modelCost(graph, analyzeGroups(graph), 'latency', { hardware: 'onnx-cpu' })).toBe(viaCost);
  });

  it('a profile with only a fixed cost per layer prices a model at layers × d', () => {
    const graph = graphFromModel(buildZooModel('mnist-cnn'));
    const perKind = { a: 0, b: 0, c: 0, d: 1000, w: 0 };
    const hw = useProfile(
      profileOf({
        input: perKind,
        conv: perKind,
        batchnorm: perKind,
        activation: perKind,
        pool: perKind,
        'global-pool': perKind,
        dense: perKind,
      }),
    );
    expect(modelCost(graph, analyzeGroups(graph), 'latency', { hardware: hw })).toBe(1000 * graph.ops.length);
  });
});
