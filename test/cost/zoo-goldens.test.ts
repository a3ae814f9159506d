/**
 * Published costs of known architectures, computed by our graph + cost model from the zoo's tf.js builds:
 * Keras `countParams` (MobileNetV1 1.0/224: 4,253,864; MobileNetV2: 3,538,984; ResNet-50: 25,636,712;
 * VGG-16: 138,357,544) and the papers' multiply-adds (MobileNetV1 569M, Howard et al. 2017 Table 8;
 * MobileNetV2 300M, Sandler et al. 2018 Table 4; VGG-16 ~15.5G; ResNet-50 "3.8 × 10⁹", He et al. 2016
 * Table 1, a rounded figure: Keras' ResNet50 with biases comes to about 3.86G).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/analyze/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { opCost } from '../../src/cost/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend } from '../helpers/tf.js';

const IMAGENET = { inputShape: [224, 224, 3] as [number, number, number], classes: 1000 };

function analyzeZoo(name: string) {
  const model = buildZooModel(name, IMAGENET);
  try {
    const graph = graphFromModel(model);
    return { graph, report: analyzeGraph(graph), keras: model.countParams() };
  } finally {
    model.dispose();
  }
}

describe('published costs of zoo architectures', () => {
  beforeAll(cpuBackend);

  it('MobileNetV1 1.0/224: 4,253,864 params, 569M MACs', () => {
    const { report, keras } = analyzeZoo('mobilenet-v1');
    expect(report.total.params).toBe(4_253_864);
    expect(keras).toBe(4_253_864);
    expect(Math.abs(report.total.macs / 569e6 - 1)).toBeLessThan(0.01);
    expect(report.total.flops).toBe(2 * report.total.macs);
  });

  it('MobileNetV2 1.0/224: 3,538,984 params, 300M MACs', () => {
    const { report } = analyzeZoo('mobilenet-v2');
    expect(report.total.params).toBe(3_538_984);
    expect(Math.abs(report.total.macs / 300e6 - 1)).toBeLessThan(0.01);
  });

  it('ResNet-50: 25,636,712 params, 3.8G MACs within 2%, conv2_x stage exactly by hand', () => {
    const { report, graph } = analyzeZoo('resnet50');
    expect(report.total.params).toBe(25_636_712);
    expect(Math.abs(report.total.macs / 3.8e9 - 1)).toBeLessThan(0.02);
    // conv2_x at 56×56: block 1 = 1×1 64→64, 3×3 64→64, 1×1 64→256, shortcut 1×1 64→256;
    // blocks 2 and 3 = 1×1 256→64, 3×3 64→64, 1×1 64→256.
    const hw = 56 * 56;
    const block1 = hw * (64 * 64 + 9 * 64 * 64 + 64 * 256 + 64 * 256);
    const block23 = hw * (256 * 64 + 9 * 64 * 64 + 64 * 256);
    const groups = analyzeGroups(graph);
    const stage = graph.ops
      .filter((op) => op.id.startsWith('conv2_block') && op.className === 'Conv2D')
      .reduce((s, op) => s + opCost(graph, groups, op, 'macs'), 0);
    expect(stage).toBe(block1 + 2 * block23);
    expect(stage).toBe(667_942_912);
  });

  it('VGG-16: 138,357,544 params, ~15.5G MACs', () => {
    const { report } = analyzeZoo('vgg16');
    expect(report.total.params).toBe(138_357_544);
    expect(Math.abs(report.total.macs / 15.5e9 - 1)).toBeLessThan(0.01);
  });
});
