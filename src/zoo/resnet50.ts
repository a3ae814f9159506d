/**
 * ResNet-50 in the exact layout of Keras' `keras.applications.ResNet50` (v1, bottleneck blocks, conv
 * biases on, BN epsilon 1.001e-5): `conv1_pad`, `conv1_conv` (7×7/2), `conv1_bn`, `conv1_relu`, `pool1_pad`,
 * `pool1_pool`, stages `conv2`..`conv5` of 3/4/6/3 blocks named `conv{s}_block{k}_{0..3}_{conv,bn}`,
 * `_{1,2}_relu`, `_add`, `_out`, then `avg_pool` and `predictions`. 25,636,712 params at 224×224×3/1000.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, type BnConfig, type Sym } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Keras ResNet BN: momentum 0.99, epsilon 1.001e-5. */
export const RESNET50_BN: BnConfig = { momentum: 0.99, epsilon: 1.001e-5 };

/** Keras `block1`: bottleneck 1×1 → 3×3 → 1×1(4·filters), with a 1×1 conv shortcut when asked. */
function bottleneck(
  b: NetBuilder,
  x: Sym,
  filters: number,
  stride: number,
  convShortcut: boolean,
  p: string,
): Sym {
  let shortcut = x;
  if (convShortcut) {
    shortcut = b.bn(
      b.conv(x, `${p}_0_conv`, 4 * filters, 1, { strides: stride, useBias: true }),
      `${p}_0_bn`,
    );
  }
  let y = b.conv(x, `${p}_1_conv`, filters, 1, { strides: stride, useBias: true });
  y = b.relu(b.bn(y, `${p}_1_bn`), `${p}_1_relu`);
  y = b.conv(y, `${p}_2_conv`, filters, 3, { padding: 'same', useBias: true });
  y = b.relu(b.bn(y, `${p}_2_bn`), `${p}_2_relu`);
  y = b.bn(b.conv(y, `${p}_3_conv`, 4 * filters, 1, { useBias: true }), `${p}_3_bn`);
  return b.relu(b.add([shortcut, y], `${p}_add`), `${p}_out`);
}

/** Builds ResNet-50 (Keras layout) with the given BN settings; 32×32×3 is the smallest sensible input. */
export function buildResNet50(o: ResolvedOptions, bn: BnConfig, name: string): tf.LayersModel {
  const b = new NetBuilder(o.seed, bn);
  const input = b.input(o.inputShape);
  let x = b.zeroPad(input, 'conv1_pad', [
    [3, 3],
    [3, 3],
  ]);
  x = b.conv(x, 'conv1_conv', 64, 7, { strides: 2, padding: 'valid', useBias: true });
  x = b.relu(b.bn(x, 'conv1_bn'), 'conv1_relu');
  x = b.zeroPad(x, 'pool1_pad', [
    [1, 1],
    [1, 1],
  ]);
  x = b.maxPool(x, 'pool1_pool', 3, 2);
  const stages: [number, number, number][] = [
    [64, 3, 1],
    [128, 4, 2],
    [256, 6, 2],
    [512, 3, 2],
  ];
  stages.forEach(([filters, blocks, stride1], i) => {
    const stage = `conv${i + 2}`;
    x = bottleneck(b, x, filters, stride1, true, `${stage}_block1`);
    for (let k = 2; k <= blocks; k++) x = bottleneck(b, x, filters, 1, false, `${stage}_block${k}`);
  });
  x = b.gap(x, 'avg_pool');
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), name);
}
