/**
 * MobileNetV3-Small (Howard et al. 2019) in the layout of Keras' `keras.applications.MobileNetV3Small(
 * alpha=1.0, minimalistic=False, include_top=True, include_preprocessing=True)`: `rescaling` (x/127.5 − 1),
 * `conv` (3×3/2), `conv_bn`, hard-swish; eleven inverted-residual blocks `expanded_conv[_k]_` with `expand`,
 * `expand_bn`, `depthwise_pad` (stride 2, Keras' `correct_pad`), `depthwise`, `depthwise_bn`, the
 * squeeze-and-excite `squeeze_excite_{avg_pool,conv,relu,conv_1,mul}`, `project`, `project_bn`, `add`; then
 * `conv_1` (1×1, 576), `conv_1_bn`, pooling, `conv_2` (1×1, 1024, bias), `dropout`, `logits`, `flatten`,
 * `predictions`. BN momentum 0.999, epsilon 1e-3 as Keras. Keras writes the hard sigmoid `ReLU(6)(x + 3) / 6`
 * with Python operators (TFOpLambda layers no JavaScript runtime runs); here the two operators are
 * Rescaling layers (`_hs_add`, `_hs_scale`) and hard-swish is `Multiply([x, hard_sigmoid(x)])`, as
 * tf.keras 2 wrote it; pooling with `keepdims` (which tf.js 4.22 lacks) is pooling then a Reshape to
 * [1, 1, C]. Parameters equal Keras' `count_params()` (1,540,218 at 32×32/10 classes; 2,554,968
 * at 224×224/1000).
 */
import * as tf from '@tensorflow/tfjs';
import { NetBuilder, type BnConfig, type Sym } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Keras MobileNetV3 BN: momentum 0.999, epsilon 1e-3. */
const MOBILENET_V3_BN: BnConfig = { momentum: 0.999, epsilon: 1e-3 };

type Activation = (b: NetBuilder, x: Sym, name: string) => Sym;

/** [expansion, filters, kernel, stride, squeeze-excite, hard-swish] of MobileNetV3-Small's blocks. */
const SMALL_BLOCKS: [number, number, number, number, boolean, boolean][] = [
  [1, 16, 3, 2, true, false],
  [72 / 16, 24, 3, 2, false, false],
  [88 / 24, 24, 3, 1, false, false],
  [4, 40, 5, 2, true, true],
  [6, 40, 5, 1, true, true],
  [6, 40, 5, 1, true, true],
  [3, 48, 5, 1, true, true],
  [3, 48, 5, 1, true, true],
  [6, 96, 5, 2, true, true],
  [6, 96, 5, 1, true, true],
  [6, 96, 5, 1, true, true],
];

/** Keras' `_depth`: the nearest multiple of 8, at least 8 and not below 90% of v. */
export function depthOf(v: number, divisor = 8): number {
  let d = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (d < 0.9 * v) d += divisor;
  return d;
}

/** Keras `imagenet_utils.correct_pad` for a k×k kernel. */
function correctPad(x: Sym, k: number): [[number, number], [number, number]] {
  const c = Math.floor(k / 2);
  const adj = (d: number | null) => (d == null ? 1 : 1 - (d % 2));
  return [
    [c - adj(x.shape[1]), c],
    [c - adj(x.shape[2]), c],
  ];
}

function rescale(x: Sym, name: string, scale: number, offset = 0): Sym {
  return tf.layers.rescaling({ name, scale, offset }).apply(x) as Sym;
}

/** `ReLU(6)(x + 3) · (1/6)` as three layers. */
function hardSigmoid(b: NetBuilder, x: Sym, name: string): Sym {
  return rescale(b.relu6(rescale(x, `${name}_add`, 1, 3), `${name}_relu6`), `${name}_scale`, 1 / 6);
}

const relu: Activation = (b, x, name) => tf.layers.reLU({ name }).apply(x) as Sym;
const hardSwish: Activation = (b, x, name) =>
  tf.layers.multiply({ name }).apply([x, hardSigmoid(b, x, `${name}_hs`)]) as Sym;

/** Global average pooling to [1, 1, C] (Keras' `keepdims=True`, which tf.js 4.22 lacks: pool, then reshape). */
function poolKeepDims(b: NetBuilder, x: Sym, name: string): Sym {
  return b.reshape(b.gap(x, name), `${name}_reshape`, [1, 1, x.shape[3] as number]);
}

function squeezeExcite(b: NetBuilder, inputs: Sym, filters: number, prefix: string): Sym {
  let x = poolKeepDims(b, inputs, `${prefix}squeeze_excite_avg_pool`);
  x = b.conv(x, `${prefix}squeeze_excite_conv`, depthOf(filters * 0.25), 1, { useBias: true });
  x = relu(b, x, `${prefix}squeeze_excite_relu`);
  x = b.conv(x, `${prefix}squeeze_excite_conv_1`, filters, 1, { useBias: true });
  x = hardSigmoid(b, x, `${prefix}squeeze_excite_hs`);
  return tf.layers.multiply({ name: `${prefix}squeeze_excite_mul` }).apply([inputs, x]) as Sym;
}

/** Keras `_inverted_res_block`. */
function invertedRes(b: NetBuilder, x: Sym, block: (typeof SMALL_BLOCKS)[number], id: number): Sym {
  const [expansion, filters, kernel, stride, se, swish] = block;
  const act = swish ? hardSwish : relu;
  const shortcut = x;
  const inFilters = x.shape[3] as number;
  const prefix = id === 0 ? 'expanded_conv_' : `expanded_conv_${id}_`;
  if (id > 0) {
    x = b.bn(b.conv(x, `${prefix}expand`, depthOf(inFilters * expansion), 1), `${prefix}expand_bn`);
    x = act(b, x, `${prefix}expand_act`);
  }
  if (stride === 2) x = b.zeroPad(x, `${prefix}depthwise_pad`, correctPad(x, kernel));
  x = b.depthwise(x, `${prefix}depthwise`, kernel, stride, stride === 1 ? 'same' : 'valid');
  x = act(b, b.bn(x, `${prefix}depthwise_bn`), `${prefix}depthwise_act`);
  if (se) x = squeezeExcite(b, x, depthOf(inFilters * expansion), prefix);
  x = b.bn(b.conv(x, `${prefix}project`, filters, 1), `${prefix}project_bn`);
  if (stride === 1 && inFilters === filters) x = b.add([shortcut, x], `${prefix}add`);
  return x;
}

/** Builds MobileNetV3-Small (alpha 1) at any input size of at least 32×32. */
export function buildMobileNetV3Small(o: ResolvedOptions, name: string): tf.LayersModel {
  const b = new NetBuilder(o.seed, MOBILENET_V3_BN);
  const input = b.input(o.inputShape);
  let x = rescale(input, 'rescaling', 1 / 127.5, -1);
  x = hardSwish(b, b.bn(b.conv(x, 'conv', 16, 3, { strides: 2 }), 'conv_bn'), 'conv_act');
  SMALL_BLOCKS.forEach((block, id) => (x = invertedRes(b, x, block, id)));
  x = b.bn(b.conv(x, 'conv_1', depthOf((x.shape[3] as number) * 6), 1), 'conv_1_bn');
  x = hardSwish(b, x, 'conv_1_act');
  x = poolKeepDims(b, x, 'global_average_pooling2d');
  x = hardSwish(b, b.conv(x, 'conv_2', 1024, 1, { useBias: true }), 'conv_2_act');
  x = b.dropout(x, 'dropout', 0.2);
  x = b.flatten(b.conv(x, 'logits', o.classes, 1, { useBias: true }), 'flatten');
  return b.model(input, b.activation(x, 'predictions', 'softmax'), name);
}
