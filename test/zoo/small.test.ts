/**
 * The small (MNIST/CIFAR) nets: parameter counts computed by hand, feature-map shapes, and a forward pass on a
 * small batch (finite, softmax rows summing to 1).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildZooModel, zooDefaults } from '../../src/zoo/index.js';
import { layerOutputShape, layersOfClass, trainableParams } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Hand counts: conv k·k·Cin·Cout (no bias), BN 4·C (γ, β, moving mean, moving variance), dense in·out + out. */
const HAND_COUNTS: Record<string, number> = {
  // conv1 9·1·4 = 36, bn 16, conv2 9·4·8 = 288, bn 32, dense 8·10 + 10 = 90.
  tiny: 36 + 16 + 288 + 32 + 90,
  // conv1 9·1·16 = 144, bn 64, conv2 9·16·32 = 4608, bn 128, conv3 9·32·64 = 18432, bn 256, dense 650.
  'mnist-cnn': 144 + 64 + 4608 + 128 + 18432 + 256 + 650,
  // conv1 9·3·32 = 864, conv2..4 3·9216, 4 bn of 128, dense 32·10 + 10.
  'net-a': 864 + 3 * 9216 + 4 * 128 + 330,
  // conv1 144, bn 64, conv2 4608, bn 128, dense 330.
  'net-b': 144 + 64 + 4608 + 128 + 330,
  // s1: 9·1·48 + 9·48·48, s2: 9·48·16, s3: 9·16·16, s4: 9·16·256 + 9·256·256, BN 4·(48+48+16+16+256+256),
  // dense 256·10 + 10.
  'spread-net': 432 + 20736 + 6912 + 2304 + 36864 + 589824 + 4 * 640 + 2570,
};

/** ResNet-20, option B (1×1 projection + BN at the two stage changes, no conv bias). */
const RESNET20 = {
  // stem 9·3·16 = 432; stage 1: 6 convs · 9·16·16 = 13,824; stage 2: 9·16·32 + 5 · 9·32·32 = 50,688;
  // stage 3: 9·32·64 + 5 · 9·64·64 = 202,752; projections 16·32 + 32·64 = 2,560; dense 64·10 + 10 = 650.
  weights: 432 + 13_824 + 50_688 + 202_752 + 2_560 + 650,
  // BN channels: stem 16, 6·16, 6·32, 6·64, projections 32 + 64 = 784 channels.
  bnChannels: 16 + 96 + 192 + 384 + 96,
};

describe('hand-counted parameters', () => {
  for (const [name, count] of Object.entries(HAND_COUNTS)) {
    it(`${name}: ${count} params`, () => {
      const m = buildZooModel(name, { seed: 1 });
      expect(m.countParams()).toBe(count);
      m.dispose();
    });
  }

  it('resnet20: 274,042 params (272,474 trainable; He et al. 2016 Table 6: 0.27M)', () => {
    const m = buildZooModel('resnet20', { seed: 1 });
    expect(RESNET20.weights + 4 * RESNET20.bnChannels).toBe(274_042);
    expect(m.countParams()).toBe(274_042);
    expect(trainableParams(m)).toBe(RESNET20.weights + 2 * RESNET20.bnChannels);
    expect(layersOfClass(m, 'Add')).toHaveLength(9);
    expect(layersOfClass(m, 'Conv2D')).toHaveLength(19 + 2);
    m.dispose();
  });

  it('resnet56: 860,026 params (He et al. 2016 Table 6: 0.85M), 27 adds, 55 3×3 convs + 2 projections', () => {
    // stem 432; stage 1: 18·2304; stage 2: 4608 + 17·9216; stage 3: 18,432 + 17·36,864; proj 2560; dense 650;
    // BN channels 16 + 18·16 + 18·32 + 18·64 + 96 = 2128, 4 params each.
    const expected = 432 + 18 * 2304 + (4608 + 17 * 9216) + (18_432 + 17 * 36_864) + 2560 + 650 + 4 * 2128;
    const m = buildZooModel('resnet56', { seed: 1 });
    expect(m.countParams()).toBe(expected);
    expect(expected).toBe(860_026);
    expect(layersOfClass(m, 'Add')).toHaveLength(27);
    expect(layersOfClass(m, 'Conv2D')).toHaveLength(55 + 2);
    m.dispose();
  });

  it('vgg16 (CIFAR, BN): conv weights of config D + BN + fc1 512 + head', () => {
    // Convs (no bias): 9·(3·64 + 64·64 + 64·128 + 128·128 + 128·256 + 2·256·256 + 256·512 + 5·512·512).
    const conv =
      9 * (3 * 64 + 64 * 64 + 64 * 128 + 128 * 128 + 128 * 256 + 2 * 256 * 256 + 256 * 512 + 5 * 512 * 512);
    const bn = 4 * (2 * 64 + 2 * 128 + 3 * 256 + 6 * 512);
    const head = 512 * 512 + 512 + 512 * 10 + 10;
    const m = buildZooModel('vgg16', { seed: 1 });
    expect(m.countParams()).toBe(conv + bn + head);
    expect(layersOfClass(m, 'BatchNormalization')).toHaveLength(13);
    m.dispose();
  });
});

describe('feature-map shapes', () => {
  const cases: [string, string, number[]][] = [
    ['mnist-cnn', 'conv3_relu', [7, 7, 64]],
    ['net-b', 'conv2_relu', [14, 14, 32]],
    ['spread-net', 's1_conv2_relu', [28, 28, 48]],
    ['spread-net', 's4_conv2_relu', [3, 3, 256]],
    ['resnet20', 's3b3_out', [8, 8, 64]],
    ['resnet56', 's2b1_proj_bn', [16, 16, 32]],
    ['inception-net', 'i1_concat', [32, 32, 48]],
    ['inception-net', 'i3_out', [8, 8, 128]],
    ['vgg11', 'block5_pool', [1, 1, 512]],
    ['mobilenet-v1', 'conv_pw_13_relu', [2, 2, 1024]],
    ['mobilenet-v2', 'out_relu', [4, 4, 1280]],
    ['resnet50', 'conv5_block3_out', [1, 1, 2048]],
  ];
  for (const [name, layer, shape] of cases) {
    it(`${name}: ${layer} is ${shape.join('×')}`, () => {
      const m = buildZooModel(name);
      expect(layerOutputShape(m, layer)).toEqual(shape);
      m.dispose();
    });
  }

  it('inception-net adds a block input to a concatenation', () => {
    const m = buildZooModel('inception-net');
    const add = m.getLayer('i1_add');
    const inbound = add.inboundNodes[0].inboundLayers.map((l) => l.name);
    expect(inbound).toEqual(['stem_relu', 'i1_concat']);
    expect(layersOfClass(m, 'Concatenate')).toHaveLength(3);
    m.dispose();
  });
});

describe('forward pass on a small batch', () => {
  const names = ['tiny', 'mnist-cnn', 'net-a', 'net-b', 'spread-net', 'inception-net', 'resnet20'];
  names.push('mobilenet-v1', 'mobilenet-v2', 'vgg11');
  for (const name of names) {
    it(`${name}: finite softmax rows summing to 1`, async () => {
      const { inputShape, classes } = zooDefaults(name);
      const m = buildZooModel(name, { seed: 7 });
      const x = tf.randomUniform([2, ...inputShape], 0, 1, 'float32', 11);
      const y = m.predict(x) as tf.Tensor;
      expect(y.shape).toEqual([2, classes]);
      const rows = await y.array();
      x.dispose();
      y.dispose();
      m.dispose();
      for (const row of rows as number[][]) {
        expect(row.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    });
  }
});
