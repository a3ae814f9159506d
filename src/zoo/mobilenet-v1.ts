/**
 * MobileNet V1 (Howard et al. 2017) in the layout of Keras' `keras.applications.MobileNet(alpha=1.0,
 * depth_multiplier=1, include_top=True)`: `conv1` (3×3/2, no bias), `conv1_bn`, `conv1_relu` (ReLU6), then 13
 * blocks `conv_pad_{k}` (stride-2 blocks only, ((0,1),(0,1))), `conv_dw_{k}`, `conv_dw_{k}_bn`,
 * `conv_dw_{k}_relu`, `conv_pw_{k}`, `conv_pw_{k}_bn`, `conv_pw_{k}_relu`; head `global_average_pooling2d`,
 * `reshape_1` (1×1×1024), `dropout` (1e-3), `conv_preds` (1×1, bias), `reshape_2`, `predictions` (softmax).
 * 4,253,864 params at 224×224×3/1000, Keras BN (momentum 0.99, epsilon 1e-3).
 *
 * CIFAR variant (32×32): same blocks, but `conv1` has stride 1 (32→16→8→4→2 through the stride-2 blocks),
 * BN momentum 0.9, and the head is `global_average_pooling2d` → `predictions` (Dense, softmax).
 */
import type * as tf from '@tensorflow/tfjs';
import { KERAS_BN, NetBuilder, SMALL_BN, type Sym } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Pointwise widths and strides of the 13 depthwise-separable blocks. */
export const MOBILENET_V1_BLOCKS: [number, number][] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/** Keras `_depthwise_conv_block`. */
function dwBlock(b: NetBuilder, x: Sym, filters: number, stride: number, k: number): Sym {
  if (stride !== 1) {
    x = b.zeroPad(x, `conv_pad_${k}`, [
      [0, 1],
      [0, 1],
    ]);
  }
  x = b.depthwise(x, `conv_dw_${k}`, 3, stride, stride === 1 ? 'same' : 'valid');
  x = b.relu6(b.bn(x, `conv_dw_${k}_bn`), `conv_dw_${k}_relu`);
  x = b.conv(x, `conv_pw_${k}`, filters, 1);
  return b.relu6(b.bn(x, `conv_pw_${k}_bn`), `conv_pw_${k}_relu`);
}

/** Builds MobileNet V1 (alpha 1); `imagenet` selects the exact Keras layout, otherwise the CIFAR variant. */
export function buildMobileNetV1(imagenet: boolean, o: ResolvedOptions, name: string): tf.LayersModel {
  const b = new NetBuilder(o.seed, imagenet ? KERAS_BN : SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.conv(input, 'conv1', 32, 3, { strides: imagenet ? 2 : 1 });
  x = b.relu6(b.bn(x, 'conv1_bn'), 'conv1_relu');
  MOBILENET_V1_BLOCKS.forEach(([filters, stride], i) => {
    x = dwBlock(b, x, filters, stride, i + 1);
  });
  x = b.gap(x, 'global_average_pooling2d');
  if (!imagenet) return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), name);
  x = b.reshape(x, 'reshape_1', [1, 1, 1024]);
  x = b.dropout(x, 'dropout', 1e-3);
  x = b.conv(x, 'conv_preds', o.classes, 1, { useBias: true });
  x = b.reshape(x, 'reshape_2', [o.classes]);
  return b.model(input, b.activation(x, 'predictions', 'softmax'), name);
}
