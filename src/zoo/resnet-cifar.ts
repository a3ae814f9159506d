/**
 * CIFAR ResNets (He et al. 2016, §4.2): a 3×3(16) stem, three stages of `n` basic blocks at 16/32/64
 * channels (stride 2 at the first block of stages 2 and 3), GAP, dense. Depth = 6n + 2 (ResNet-20: n = 3,
 * ResNet-56: n = 9). Where the shape changes, the shortcut is a 1×1 conv projection (stride 2, no bias) + BN
 * (the paper's option B); convs have no bias, BN momentum 0.9.
 *
 * Names: `stem`, `stem_bn`, `stem_relu`; block j of stage i: `s{i}b{j}_conv1`, `_bn1`, `_relu1`, `_conv2`,
 * `_bn2`, `_proj`, `_proj_bn` (projection blocks only), `_add`, `_out`; then `gap`, `predictions`.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, SMALL_BN, type Sym } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** One basic block: conv3×3→BN→ReLU→conv3×3→BN, plus the (projected) shortcut, Add, ReLU. */
function basicBlock(b: NetBuilder, x: Sym, p: string, filters: number, stride: number): Sym {
  let y = b.conv(x, `${p}_conv1`, filters, 3, { strides: stride });
  y = b.relu(b.bn(y, `${p}_bn1`), `${p}_relu1`);
  y = b.bn(b.conv(y, `${p}_conv2`, filters, 3), `${p}_bn2`);
  const inChannels = x.shape[x.shape.length - 1];
  let shortcut = x;
  if (stride !== 1 || inChannels !== filters) {
    shortcut = b.bn(b.conv(x, `${p}_proj`, filters, 1, { strides: stride }), `${p}_proj_bn`);
  }
  return b.relu(b.add([shortcut, y], `${p}_add`), `${p}_out`);
}

/** Builds a CIFAR ResNet of depth 6n + 2 (`blocksPerStage` = n), 32×32×3 by default. */
export function buildCifarResNet(blocksPerStage: number, name: string, o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.convBnRelu(input, 'stem', 16, 3);
  const widths = [16, 32, 64];
  widths.forEach((filters, s) => {
    for (let j = 1; j <= blocksPerStage; j++) {
      const stride = s > 0 && j === 1 ? 2 : 1;
      x = basicBlock(b, x, `s${s + 1}b${j}`, filters, stride);
    }
  });
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), name);
}
