/**
 * Convolution pieces shared by Conv2D, DepthwiseConv2D and SeparableConv2D: TF padding as ONNX pads, the
 * forward conv, the input gradient (a ConvTranspose with the same geometry) and the filter gradient (input
 * patches from one-hot convs, then one batched MatMul; works for any stride, dilation and padding).
 */
import { activationName, pair, str } from '../../../graph/config.js';
import type { LayerConfig, OpNode, Shape } from '../../../graph/types.js';
import { supportsActivation } from '../activations.js';
import type { AttrValue, GraphBuilder } from '../builder.js';

/** Geometry of a 2-D window op over an NCHW tensor. */
export interface ConvGeom {
  k: [number, number];
  s: [number, number];
  d: [number, number];
  /** ONNX pads: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  inH: number;
  inW: number;
  outH: number;
  outW: number;
}

/** TF padding of one axis: [begin, end] (`same` puts the odd pixel at the end). */
export function tfPads(
  size: number,
  out: number,
  k: number,
  s: number,
  d: number,
  padding: string,
): [number, number] {
  if (padding !== 'same') return [0, 0];
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Geometry of a conv/pool op from its input/output shapes (HWC) and config. */
export function windowGeom(
  inShape: Shape,
  outShape: Shape,
  config: LayerConfig,
  kernelKey: string,
  stridesKey: string,
): ConvGeom {
  const k = pair(config, kernelKey, [2, 2]);
  const s = pair(config, stridesKey, kernelKey === 'pool_size' ? k : [1, 1]);
  const d = kernelKey === 'pool_size' ? ([1, 1] as [number, number]) : pair(config, 'dilation_rate', [1, 1]);
  const padding = str(config, 'padding', 'valid');
  const [inH, inW] = inShape;
  const [outH, outW] = outShape;
  const ph = tfPads(inH, outH, k[0], s[0], d[0], padding);
  const pw = tfPads(inW, outW, k[1], s[1], d[1], padding);
  return { k, s, d, pads: [ph[0], pw[0], ph[1], pw[1]], inH, inW, outH, outW };
}

/** ONNX Conv attributes of a geometry. */
export function convAttrs(g: ConvGeom, group = 1): Record<string, AttrValue> {
  return { kernel_shape: g.k, strides: g.s, dilations: g.d, pads: g.pads, group };
}

/**
 * A conv of NCHW `x` with OIHW weights `w` (`[cout, cin/group, kh, kw]`). Ungrouped convs whose output
 * channels are a multiple of the NCHWc block and whose input channels are below it or a multiple of it run
 * through onnxruntime's `com.microsoft.nchwc.Conv` (weights reordered in-graph to the blocked layout: the
 * weights are graph inputs, which keeps plain Conv off onnxruntime's fastest kernels); others use Conv.
 */
export function conv(
  b: GraphBuilder,
  x: string,
  w: string,
  bias: string | null,
  attrs: Record<string, AttrValue>,
  cin: number,
  cout: number,
): string {
  const B = b.nchwcBlock;
  const blocked = B > 0 && attrs['group'] === 1 && cout % B === 0 && (cin < B || cin % B === 0);
  if (!blocked) return b.op('Conv', bias ? [x, w, bias] : [x, w], attrs);
  const [kh, kw] = attrs['kernel_shape'] as number[];
  const nchwc = 'com.microsoft.nchwc';
  let wr: string;
  let xin = x;
  if (cin < B) {
    wr = b.reshape(b.transpose(b.reshape(w, [cout / B, B, cin, kh, kw]), [0, 2, 3, 4, 1]), [
      cout,
      cin,
      kh,
      kw,
    ]);
  } else {
    const blockedW = b.reshape(w, [cout / B, B, cin / B, B, kh, kw]);
    wr = b.reshape(b.transpose(blockedW, [0, 2, 4, 5, 3, 1]), [cout, cin, kh, kw]);
    xin = b.node('ReorderInput', [x], { channels_last: 0 }, 1, nchwc)[0];
  }
  const y = b.node('Conv', bias ? [xin, wr, bias] : [xin, wr], attrs, 1, nchwc)[0];
  return b.node('ReorderOutput', [y], { channels: cout, channels_last: 0 }, 1, nchwc)[0];
}

/** Forward conv (NCHW, weights OIHW). */
export function convForward(
  b: GraphBuilder,
  x: string,
  w: string,
  bias: string | null,
  g: ConvGeom,
  group: number,
  cin: number,
  cout: number,
): string {
  return conv(b, x, w, bias, convAttrs(g, group), cin, cout);
}

/** Output padding making a ConvTranspose of this geometry return the conv's input size. */
function outputPadding(g: ConvGeom): [number, number] {
  const axis = (size: number, out: number, k: number, s: number, d: number, p0: number, p1: number) =>
    size - (s * (out - 1) + (k - 1) * d + 1 - p0 - p1);
  return [
    axis(g.inH, g.outH, g.k[0], g.s[0], g.d[0], g.pads[0], g.pads[2]),
    axis(g.inW, g.outW, g.k[1], g.s[1], g.d[1], g.pads[1], g.pads[3]),
  ];
}

/**
 * Gradient of a conv with respect to its input. Stride 1: a plain Conv of dY with the filter flipped 180°
 * (in/out swapped; per group for depthwise) and pads k−1−p — onnxruntime's ConvTranspose is much slower,
 * above all grouped. Strided: a ConvTranspose with the same geometry and an output padding.
 */
export function convInputGrad(
  b: GraphBuilder,
  dy: string,
  w: string,
  g: ConvGeom,
  group: number,
  cin: number,
  cout: number,
): string {
  if (g.s[0] === 1 && g.s[1] === 1) {
    const swapped = group === 1 ? b.transpose(w, [1, 0, 2, 3]) : b.reshape(w, [group, -1, g.k[0], g.k[1]]);
    const flipped = b.op('Slice', [
      swapped,
      b.ints([-1, -1]),
      b.ints([-g.k[0] - 1, -g.k[1] - 1]),
      b.ints([2, 3]),
      b.ints([-1, -1]),
    ]);
    const eh = (g.k[0] - 1) * g.d[0];
    const ew = (g.k[1] - 1) * g.d[1];
    const attrs = {
      kernel_shape: g.k,
      strides: [1, 1],
      dilations: g.d,
      pads: [eh - g.pads[0], ew - g.pads[1], eh - g.pads[2], ew - g.pads[3]],
      group,
    };
    return conv(b, dy, flipped, null, attrs, cout, cin);
  }
  return b.op('ConvTranspose', [dy, w], { ...convAttrs(g, group), output_padding: outputPadding(g) });
}

/**
 * Input patches of a conv: `[N, C·kh·kw, OH·OW]`, channel-major (c, then kh, then kw), built with a conv
 * of kh·kw one-hot filters over the input seen as N·C single-channel images.
 */
export function convPatches(b: GraphBuilder, x: string, g: ConvGeom, channels: number): string {
  const kk = g.k[0] * g.k[1];
  const ohw = g.outH * g.outW;
  const trivial = kk === 1 && g.s[0] === 1 && g.s[1] === 1 && g.pads.every((p) => p === 0);
  if (trivial) return b.reshape(x, [0, channels, ohw]);
  const onehot = b.feed(`onehot${g.k[0]}x${g.k[1]}`, [kk, 1, g.k[0], g.k[1]], () => {
    const data = new Float32Array(kk * kk);
    for (let i = 0; i < kk; i++) data[i * kk + i] = 1;
    return data;
  });
  const single = b.reshape(x, [-1, 1, g.inH, g.inW]);
  const patches = b.op('Conv', [single, onehot], convAttrs(g));
  return b.reshape(patches, [-1, channels * kk, ohw]);
}

/**
 * Largest patch tensor per example (floats) the filter gradients build; above it they use the textbook
 * form (a conv of the input with dY as the filter), slower but without the kh·kw-fold copy of the input.
 */
export const PATCH_LIMIT = 2 ** 21;
let patchLimit = PATCH_LIMIT;

/** Changes the patch limit for graphs compiled from now on (tests force the textbook form with 0). */
export function setPatchLimit(floats: number): void {
  patchLimit = floats;
}

/** Textbook filter gradient: Conv of X (batch as channels) with dY as the filter, strides ↔ dilations. */
function textbookFilterGrad(b: GraphBuilder, x: string, dy: string, g: ConvGeom, group: number): string {
  const attrs = { strides: g.d, dilations: g.s, pads: g.pads };
  let out: string;
  if (group === 1) {
    out = b.op('Conv', [b.transpose(x, [1, 0, 2, 3]), b.transpose(dy, [1, 0, 2, 3])], attrs);
  } else {
    // Per channel c: N input channels (the batch), m output channels, grouped by c.
    const xt = b.reshape(b.transpose(x, [1, 0, 2, 3]), [1, -1, g.inH, g.inW]);
    out = b.op('Conv', [xt, b.transpose(dy, [1, 0, 2, 3])], { ...attrs, group });
  }
  const cut = b.op('Slice', [out, b.ints([0, 0]), b.ints(g.k), b.ints([2, 3])]);
  return b.transpose(cut, [1, 0, 2, 3]); // [in, out, kh, kw] → [out, in, kh, kw]; grouped: [1, C·m, …] → [C·m, 1, …]
}

/** Filter gradient of a regular conv: `[Cout, Cin, kh, kw]`. */
export function convFilterGrad(
  b: GraphBuilder,
  x: string,
  dy: string,
  g: ConvGeom,
  cin: number,
  cout: number,
): string {
  if (cin * g.k[0] * g.k[1] * g.outH * g.outW > patchLimit) return textbookFilterGrad(b, x, dy, g, 1);
  const patches = convPatches(b, x, g, cin);
  const dyr = b.reshape(dy, [0, cout, g.outH * g.outW]);
  const perN = b.op('MatMul', [dyr, b.transpose(patches, [0, 2, 1])]);
  return b.reshape(b.reduceSum(perN, [0], false), [cout, cin, g.k[0], g.k[1]]);
}

/** Filter gradient of a depthwise conv with multiplier m: `[C·m, 1, kh, kw]`. */
export function depthwiseFilterGrad(
  b: GraphBuilder,
  x: string,
  dy: string,
  g: ConvGeom,
  c: number,
  m: number,
): string {
  const kk = g.k[0] * g.k[1];
  const ohw = g.outH * g.outW;
  if (c * kk * ohw > patchLimit) return textbookFilterGrad(b, x, dy, g, c);
  const patches = b.reshape(convPatches(b, x, g, c), [0, c, kk, ohw]);
  const dyr = b.reshape(dy, [0, c, m, ohw]);
  const perN = b.op('MatMul', [dyr, b.transpose(patches, [0, 1, 3, 2])]);
  return b.reshape(b.reduceSum(perN, [0], false), [c * m, 1, g.k[0], g.k[1]]);
}

/** The kernel layout used for regular conv kernels: HWIO → OIHW. */
export function oihwLayout(shape: number[]): { perm: number[]; shape: number[]; outAxis: number } {
  const [kh, kw, ci, co] = shape;
  return { perm: [3, 2, 0, 1], shape: [co, ci, kh, kw], outAxis: 0 };
}

/** The kernel layout used for depthwise kernels: [kh, kw, C, m] → [C·m, 1, kh, kw]. */
export function depthwiseLayout(shape: number[]): { perm: number[]; shape: number[]; outAxis: number } {
  const [kh, kw, c, m] = shape;
  return { perm: [2, 3, 0, 1], shape: [c * m, 1, kh, kw], outAxis: 0 };
}

/** Why a convolution op cannot compile (strides with dilation, an activation we lack), or null. */
export function convUnsupported(op: OpNode): string | null {
  const [sh, sw] = pair(op.config, 'strides', [1, 1]);
  const [dh, dw] = pair(op.config, 'dilation_rate', [1, 1]);
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) return 'strides and dilation together';
  const act = activationName(op.config);
  return supportsActivation(act) ? null : `activation "${act}"`;
}
