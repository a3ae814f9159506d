/**
 * MobileNet V2 (Sandler et al. 2018) in the layout of Keras' `keras.applications.MobileNetV2(alpha=1.0,
 * include_top=True)`: `Conv1` (3×3/2, no bias), `bn_Conv1`, `Conv1_relu`; block 0 `expanded_conv_depthwise`,
 * `_depthwise_BN`, `_depthwise_relu`, `_project`, `_project_BN`; blocks k = 1..16 `block_{k}_expand`
 * (1×1, 6× the input width), `_expand_BN`, `_expand_relu`, `_pad` (stride 2 only, Keras' `correct_pad`),
 * `_depthwise`, `_depthwise_BN`, `_depthwise_relu`, `_project`, `_project_BN`, `_add` (identity blocks);
 * then `Conv_1` (1×1, 1280), `Conv_1_bn`, `out_relu`, `global_average_pooling2d`, `predictions`. ReLU6
 * everywhere, BN momentum 0.999 and epsilon 1e-3 as Keras. 3,538,984 params at 224×224×3/1000.
 *
 * CIFAR variant (32×32): `Conv1` and block 1 have stride 1 (32→16→8→4 through blocks 3, 6 and 13), BN
 * momentum 0.9; otherwise identical.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, SMALL_BN, type BnConfig, type Sym } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Keras MobileNetV2 BN: momentum 0.999, epsilon 1e-3. */
export const MOBILENET_V2_BN: BnConfig = { momentum: 0.999, epsilon: 1e-3 };

/** [output width, stride, expansion] of the 17 inverted-residual blocks (ImageNet strides). */
export const MOBILENET_V2_BLOCKS: [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

/** Keras `imagenet_utils.correct_pad` for a 3×3 kernel: ((0,1),(0,1)) on even sizes, ((1,1),(1,1)) on odd. */
function correctPad(x: Sym): [[number, number], [number, number]] {
  const h = x.shape[1];
  const w = x.shape[2];
  const adjH = h == null ? 1 : 1 - (h % 2);
  const adjW = w == null ? 1 : 1 - (w % 2);
  return [
    [1 - adjH, 1],
    [1 - adjW, 1],
  ];
}

/** Keras `_inverted_res_block`. */
function invertedRes(
  b: NetBuilder,
  x: Sym,
  filters: number,
  stride: number,
  expansion: number,
  id: number,
): Sym {
  const inputs = x;
  const inChannels = x.shape[x.shape.length - 1] as number;
  let p = `block_${id}_`;
  if (id > 0) {
    x = b.conv(x, `${p}expand`, expansion * inChannels, 1);
    x = b.relu6(b.bn(x, `${p}expand_BN`), `${p}expand_relu`);
  } else {
    p = 'expanded_conv_';
  }
  if (stride === 2) x = b.zeroPad(x, `${p}pad`, correctPad(x));
  x = b.depthwise(x, `${p}depthwise`, 3, stride, stride === 1 ? 'same' : 'valid');
  x = b.relu6(b.bn(x, `${p}depthwise_BN`), `${p}depthwise_relu`);
  x = b.bn(b.conv(x, `${p}project`, filters, 1), `${p}project_BN`);
  if (inChannels === filters && stride === 1) return b.add([inputs, x], `${p}add`);
  return x;
}

/** Builds MobileNet V2 (alpha 1); `imagenet` selects the exact Keras layout, otherwise the CIFAR variant. */
export function buildMobileNetV2(imagenet: boolean, o: ResolvedOptions, name: string): tf.LayersModel {
  const b = new NetBuilder(o.seed, imagenet ? MOBILENET_V2_BN : SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.conv(input, 'Conv1', 32, 3, { strides: imagenet ? 2 : 1 });
  x = b.relu6(b.bn(x, 'bn_Conv1'), 'Conv1_relu');
  MOBILENET_V2_BLOCKS.forEach(([filters, stride, expansion], id) => {
    const s = !imagenet && id === 1 ? 1 : stride;
    x = invertedRes(b, x, filters, s, expansion, id);
  });
  x = b.conv(x, 'Conv_1', 1280, 1);
  x = b.relu6(b.bn(x, 'Conv_1_bn'), 'out_relu');
  x = b.gap(x, 'global_average_pooling2d');
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), name);
}
