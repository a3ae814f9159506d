/**
 * `spread-net`: widths badly spread across resolutions, to show that FLOPs and size targets prune different
 * places. A wide stage at full resolution (most of the FLOPs, few weights), a narrow middle, and a wide stage
 * at low resolution (most of the weights, few FLOPs). 28×28×1 by default (MNIST).
 *
 * At 28×28×1: `s1_conv2` (48→48 at 28×28) costs 32.5 MFLOPs with 20.7k weights; `s4_conv2` (256→256 at 3×3)
 * costs 10.6 MFLOPs with 590k weights.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, SMALL_BN } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Builds `spread-net`: s1 2×conv(48) → pool → s2 conv(16) → pool → s3 conv(16) → pool → s4 2×conv(256). */
export function buildSpreadNet(o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.convBnRelu(input, 's1_conv1', 48, 3);
  x = b.convBnRelu(x, 's1_conv2', 48, 3);
  x = b.maxPool(x, 's1_pool');
  x = b.convBnRelu(x, 's2_conv1', 16, 3);
  x = b.maxPool(x, 's2_pool');
  x = b.convBnRelu(x, 's3_conv1', 16, 3);
  x = b.maxPool(x, 's3_pool');
  x = b.convBnRelu(x, 's4_conv1', 256, 3);
  x = b.convBnRelu(x, 's4_conv2', 256, 3);
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), 'spread-net');
}
