/**
 * The small plain conv nets: `mnist-cnn`, `net-a`, `net-b` and `tiny`. Every conv has no bias and is
 * followed by BN (momentum 0.9) and ReLU; layers are named `convN`, `convN_bn`, `convN_relu`, `poolN`,
 * `gap`, `predictions`.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, SMALL_BN } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** MNIST CNN: conv3×3(16)→pool→conv3×3(32)→pool→conv3×3(64)→GAP→dense(classes), 28×28×1 by default. */
export function buildMnistCnn(o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.convBnRelu(input, 'conv1', 16, 3);
  x = b.maxPool(x, 'pool1');
  x = b.convBnRelu(x, 'conv2', 32, 3);
  x = b.maxPool(x, 'pool2');
  x = b.convBnRelu(x, 'conv3', 64, 3);
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), 'mnist-cnn');
}

/** Benchmark net "A": 4 × [conv3×3(32, no bias)→BN→ReLU] → GAP → dense(classes), 32×32×3 by default. */
export function buildNetA(o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = input;
  for (let i = 1; i <= 4; i++) x = b.convBnRelu(x, `conv${i}`, 32, 3);
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), 'net-a');
}

/** Benchmark net "B": conv3×3(16)→BN→ReLU→pool→conv3×3(32)→BN→ReLU→GAP→dense(classes), 28×28×1. */
export function buildNetB(o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.convBnRelu(input, 'conv1', 16, 3);
  x = b.maxPool(x, 'pool1');
  x = b.convBnRelu(x, 'conv2', 32, 3);
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), 'net-b');
}

/** A very small net for fast tests: conv3×3(4)→BN→ReLU→conv3×3(8)→BN→ReLU→GAP→dense, 8×8×1. */
export function buildTiny(o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.convBnRelu(input, 'conv1', 4, 3);
  x = b.convBnRelu(x, 'conv2', 8, 3);
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), 'tiny');
}
