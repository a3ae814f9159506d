/**
 * VGG-11 (config A) and VGG-16 (config D), Simonyan & Zisserman 2015.
 *
 * - ImageNet variant: exactly Keras' `keras.applications.VGG16(include_top=True)` layout (conv biases, ReLU
 *   inside each conv, no BN): `block{b}_conv{i}`, `block{b}_pool`, `flatten`, `fc1` (4096), `fc2` (4096),
 *   `predictions`. VGG-16 has 138,357,544 params at 224×224×3/1000; VGG-11 (same naming) 132,863,336.
 * - CIFAR variant: each conv (no bias) is followed by BN (momentum 0.9) and ReLU: `block{b}_conv{i}`,
 *   `block{b}_conv{i}_bn`, `block{b}_conv{i}_relu`, `block{b}_pool`, then `flatten`, `fc1` (512, ReLU),
 *   `predictions`. At 32×32 the flatten sees 1×1×512.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, SMALL_BN } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Conv widths per block (each block ends with a 2×2 max-pool). */
export const VGG_CONFIGS: Record<'vgg11' | 'vgg16', number[][]> = {
  vgg11: [[64], [128], [256, 256], [512, 512], [512, 512]],
  vgg16: [
    [64, 64],
    [128, 128],
    [256, 256, 256],
    [512, 512, 512],
    [512, 512, 512],
  ],
};

/** Builds a VGG; `imagenet` selects the Keras ImageNet layout, otherwise the BN CIFAR variant. */
export function buildVgg(
  config: 'vgg11' | 'vgg16',
  imagenet: boolean,
  o: ResolvedOptions,
  name: string,
): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = input;
  VGG_CONFIGS[config].forEach((widths, i) => {
    widths.forEach((filters, j) => {
      const conv = `block${i + 1}_conv${j + 1}`;
      x = imagenet
        ? b.conv(x, conv, filters, 3, { useBias: true, activation: 'relu' })
        : b.convBnRelu(x, conv, filters, 3);
    });
    x = b.maxPool(x, `block${i + 1}_pool`);
  });
  x = b.flatten(x, 'flatten');
  if (imagenet) {
    x = b.dense(x, 'fc1', 4096, 'relu');
    x = b.dense(x, 'fc2', 4096, 'relu');
  } else {
    x = b.dense(x, 'fc1', 512, 'relu');
  }
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), name);
}
