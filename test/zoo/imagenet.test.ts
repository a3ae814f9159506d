/**
 * The ImageNet variants against Keras' published `model.count_params()` figures
 * (keras.io/api/applications: VGG16 138,357,544; MobileNet 4,253,864; MobileNetV2 3,538,984;
 * ResNet50 25,636,712) and the feature-map shapes of the Keras models at 224×224×3.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildZooModel } from '../../src/zoo/index.js';
import { layerOutputShape, layersOfClass } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ImageNet variants match Keras applications', () => {
  it('VGG16: 138,357,544 params, Keras layer names, 7×7×512 before flatten', () => {
    const m = buildZooModel('vgg16-imagenet', { seed: 3 });
    try {
      expect(m.countParams()).toBe(138_357_544);
      expect(m.outputs[0].shape).toEqual([null, 1000]);
      expect(layerOutputShape(m, 'block5_pool')).toEqual([7, 7, 512]);
      expect(layerOutputShape(m, 'fc1')).toEqual([4096]);
      expect(layerOutputShape(m, 'fc2')).toEqual([4096]);
      expect(layersOfClass(m, 'Conv2D')).toHaveLength(13);
      expect(layersOfClass(m, 'BatchNormalization')).toHaveLength(0);
      // Keras: 23 layers with the top (19 in `include_top=False` + flatten, fc1, fc2, predictions).
      expect(m.layers).toHaveLength(23);
    } finally {
      m.dispose();
    }
  });

  it('VGG11 (Keras VGG16 naming): 132,863,336 params at 224 (torchvision vgg11), checked at 32×32', () => {
    // torchvision publishes 132,863,336 params for vgg11 at 224×224 (flatten 7·7·512 = 25,088 features).
    // At 32×32 the flatten has 1·1·512 = 512 features, so fc1 shrinks by (25,088 − 512)·4096 weights.
    const m = buildZooModel('vgg11-imagenet', { inputShape: [32, 32, 3], seed: 1 });
    try {
      expect(m.countParams()).toBe(132_863_336 - (25_088 - 512) * 4096);
      expect(layersOfClass(m, 'Conv2D')).toHaveLength(8);
    } finally {
      m.dispose();
    }
  });

  it('MobileNet V1 1.0/224: 4,253,864 params and the Keras head', () => {
    const m = buildZooModel('mobilenet-v1-imagenet', { seed: 1 });
    try {
      expect(m.countParams()).toBe(4_253_864);
      expect(m.outputs[0].shape).toEqual([null, 1000]);
      expect(layerOutputShape(m, 'conv1_relu')).toEqual([112, 112, 32]);
      expect(layerOutputShape(m, 'conv_pw_13_relu')).toEqual([7, 7, 1024]);
      expect(layerOutputShape(m, 'reshape_1')).toEqual([1, 1, 1024]);
      expect(layerOutputShape(m, 'conv_preds')).toEqual([1, 1, 1000]);
      expect(layersOfClass(m, 'DepthwiseConv2D')).toHaveLength(13);
      expect(layersOfClass(m, 'ZeroPadding2D')).toEqual([
        'conv_pad_2',
        'conv_pad_4',
        'conv_pad_6',
        'conv_pad_12',
      ]);
      expect(layersOfClass(m, 'ReLU')).toHaveLength(27);
    } finally {
      m.dispose();
    }
  });

  it('MobileNet V2 1.0/224: 3,538,984 params, 10 residual adds, 1280-wide last conv', () => {
    const m = buildZooModel('mobilenet-v2-imagenet', { seed: 1 });
    try {
      expect(m.countParams()).toBe(3_538_984);
      expect(layerOutputShape(m, 'out_relu')).toEqual([7, 7, 1280]);
      // Identity blocks (same width, stride 1): 2, 4, 5, 7, 8, 9, 11, 12, 14, 15.
      expect(layersOfClass(m, 'Add')).toEqual(
        [2, 4, 5, 7, 8, 9, 11, 12, 14, 15].map((k) => `block_${k}_add`),
      );
      expect(layerOutputShape(m, 'block_1_expand')).toEqual([112, 112, 96]);
      expect(layerOutputShape(m, 'block_1_pad')).toEqual([113, 113, 96]);
      const bn = m.getLayer('block_16_project_BN').getConfig();
      expect(bn.momentum).toBe(0.999);
      expect(bn.epsilon).toBe(1e-3);
      // TF transfer-learning tutorial: "Number of layers in the base model: 154" (include_top=False);
      // the top adds global_average_pooling2d and predictions.
      expect(m.layers).toHaveLength(154 + 2);
    } finally {
      m.dispose();
    }
  });

  it('ResNet-50: 25,636,712 params, 16 bottlenecks, 7×7×2048 features, Keras BN epsilon', () => {
    const m = buildZooModel('resnet50-imagenet', { seed: 1 });
    try {
      expect(m.countParams()).toBe(25_636_712);
      expect(layerOutputShape(m, 'conv1_relu')).toEqual([112, 112, 64]);
      expect(layerOutputShape(m, 'pool1_pool')).toEqual([56, 56, 64]);
      expect(layerOutputShape(m, 'conv5_block3_out')).toEqual([7, 7, 2048]);
      expect(layersOfClass(m, 'Add')).toHaveLength(16);
      expect(m.getLayer('conv2_block1_1_conv').getConfig().useBias).toBe(true);
      expect(m.getLayer('conv3_block1_0_bn').getConfig().epsilon).toBe(1.001e-5);
      // Keras ResNet50: 175 layers with include_top=False, plus avg_pool and predictions.
      expect(m.layers).toHaveLength(175 + 2);
    } finally {
      m.dispose();
    }
  });

  it('a plain name with 224×224×3 and 1000 classes gives the Keras layout', () => {
    const m = buildZooModel('mobilenet-v2', { inputShape: [224, 224, 3], classes: 1000, seed: 1 });
    try {
      expect(m.countParams()).toBe(3_538_984);
    } finally {
      m.dispose();
    }
  });
});
