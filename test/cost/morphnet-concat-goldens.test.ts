/**
 * Golden numbers from morph-net's own unit tests (flop_regularizer_test, activation_regularizer_test,
 * latency_regularizer_test; see shared/research/morphnet.md §6.1) on its "concat model": image
 * [1,17,19,3] → conv1 (13, 7×5, SAME) and conv2 (23, 1×1) → concat (36) → conv3 (29, 3×3, stride 2) and
 * conv4 (31, 1×1), each conv followed by BN with hand-set γ, alive at threshold 0.45.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { evalLoss, hardware, opCost, aliveCounts, opTerms, latencyLoss } from '../../src/cost/index.js';
import { aliveMask, classValues } from '../../src/regularizers/alive.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';

const GAMMAS: Record<string, number[]> = {
  conv1: [...Array(7).fill(0.8), ...Array(6).fill(0.2)],
  conv2: [...Array(11).fill(-0.7), ...Array(12).fill(0.1)],
  conv3: [...Array(10).fill(0.6), ...Array(19).fill(-0.3)],
  conv4: [...Array(17).fill(-0.5), ...Array(14).fill(-0.4)],
};

function concatModel(): tf.LayersModel {
  const image = tf.input({ shape: [17, 19, 3], name: 'image' });
  const convBn = (x: tf.SymbolicTensor, name: string, filters: number, k: [number, number], strides = 1) =>
    apply(
      tf.layers.batchNormalization({ name: `${name}_bn` }),
      apply(tf.layers.conv2d({ name, filters, kernelSize: k, strides, padding: 'same', useBias: false }), x),
    );
  const c1 = convBn(image, 'conv1', 13, [7, 5]);
  const c2 = convBn(image, 'conv2', 23, [1, 1]);
  const cat = apply(tf.layers.concatenate({ name: 'concat' }), [c1, c2]);
  const c3 = convBn(cat, 'conv3', 29, [3, 3], 2);
  const c4 = convBn(cat, 'conv4', 31, [1, 1]);
  // Heads so that conv3/conv4 are not model outputs (outputs are never pruned here).
  const h3 = apply(
    tf.layers.dense({ name: 'head3', units: 2 }),
    apply(tf.layers.globalAveragePooling2d({ name: 'gap3' }), c3),
  );
  const h4 = apply(
    tf.layers.dense({ name: 'head4', units: 2 }),
    apply(tf.layers.globalAveragePooling2d({ name: 'gap4' }), c4),
  );
  return tf.model({ inputs: image, outputs: [h3, h4] });
}

describe('morph-net concat model goldens', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await cpuBackend();
    model = concatModel();
  });

  function setup() {
    const graph = graphFromModel(model);
    const groups = analyzeGroups(graph);
    const gammaSources = groups.sources.filter((s) => s.kind === 'gamma');
    const values = new Map(Object.entries(GAMMAS).map(([k, v]) => [`${k}_bn/gamma`, Float32Array.from(v)]));
    const alive = aliveMask(groups, gammaSources, values, 0.45);
    const reg = classValues(groups, gammaSources, values);
    return { graph, groups, alive, reg };
  }

  it('FLOP costs per conv (GammaFlopsTest.testCost)', () => {
    const { graph, groups, alive } = setup();
    const cost = (name: string) => opCost(graph, groups, graph.opsById.get(name)!, 'flops', alive);
    expect(cost('conv1')).toBe(474_810);
    expect(cost('conv2')).toBe(21_318);
    expect(cost('conv3')).toBe(291_600);
    expect(cost('conv4')).toBe(197_676);
  });

  it('FLOP regularization term (testLossDecorated, undecorated): 1,410,376.375', () => {
    const { graph, groups, alive, reg } = setup();
    let total = 0;
    for (const name of ['conv1', 'conv2', 'conv3', 'conv4']) {
      const op = graph.opsById.get(name)!;
      const { nIn, nOut } = aliveCounts(groups, op, alive);
      const rSum = (t: string) => Array.from(groups.tensorClasses.get(t)!).reduce((s, c) => s + reg[c], 0);
      total += evalLoss(
        opTerms(op, graph.layers.get(name)!, 'flops'),
        nIn,
        nOut,
        rSum(op.inputs[0]),
        rSum(op.outputs[0]),
      );
    }
    expect(total).toBeCloseTo(1_410_376.375, 1);
  });

  it('activation costs are the alive output counts (activation_regularizer_test)', () => {
    const { graph, groups, alive } = setup();
    const costs = ['conv1', 'conv2', 'conv3', 'conv4'].map((n) =>
      opCost(graph, groups, graph.opsById.get(n)!, 'activations', alive),
    );
    expect(costs).toEqual([7, 11, 10, 17]);
  });

  it('P100 latency per conv (latency_regularizer_test.test_cost)', () => {
    const { graph, groups, alive } = setup();
    const hw = hardware('P100');
    const cost = (name: string) => opCost(graph, groups, graph.opsById.get(name)!, 'latency', alive, hw);
    expect(cost('conv1')).toBeCloseTo(51.0548400879, 5); // morph-net's goldens are float32;
    expect(cost('conv2')).toBeCloseTo(24.8907108307, 5);
    expect(cost('conv3')).toBeCloseTo(45.5409851074, 5);
    expect(cost('conv4')).toBeCloseTo(63.4480857849, 5);
    expect(cost('conv3') + cost('conv4')).toBeCloseTo(108.989074707, 5);
  });

  it('latency loss takes the FLOP branch for conv1 and the memory branch for the others (testLossRegression)', () => {
    const { graph, groups, alive, reg } = setup();
    const hw = hardware('P100');
    const rSum = (t: string) => Array.from(groups.tensorClasses.get(t)!).reduce((s, c) => s + reg[c], 0);
    const loss = (name: string) => {
      const op = graph.opsById.get(name)!;
      const layer = graph.layers.get(name)!;
      const { nIn, nOut } = aliveCounts(groups, op, alive);
      return latencyLoss(
        opTerms(op, layer, 'flops'),
        opTerms(op, layer, 'memory'),
        hw,
        nIn,
        nOut,
        rSum(op.inputs[0]),
        rSum(op.outputs[0]),
      );
    };
    // conv1: compute-bound: 2·17·19·7·5 · (3·6.8) / 9300.
    expect(loss('conv1')).toBeCloseTo((2 * 17 * 19 * 35 * 3 * 6.8) / 9300, 4);
    // conv2: memory-bound: (HW·rIn + k·(nIn·rOut + nOut·rIn) + HW·rOut)·4 / 732, rIn = 0 (the image).
    expect(loss('conv2')).toBeCloseTo(((1 * 3 * 8.9 + 17 * 19 * 8.9) * 4) / 732, 4);
    // conv3 (3×3 stride 2 on the concat): memory-bound.
    expect(loss('conv3')).toBeCloseTo(
      ((17 * 19 * 15.7 + 9 * (18 * 11.7 + 10 * 15.7) + 9 * 10 * 11.7) * 4) / 732,
      4,
    );
  });
});
