/**
 * Conv2D gradient kernels for the wasm backend, both written as forward convolutions that run on
 * XNNPACK:
 * - input gradient: the stride-dilated output gradient convolved with the rotated, channel-swapped
 *   filter (a "full" convolution);
 * - filter gradient: the batch-transposed input convolved with the transposed output gradient, the
 *   forward stride becoming the dilation.
 * Dilated forward convolutions have no gradient in tfjs-core, so neither kernel takes dilations.
 */
import * as tf from '@tensorflow/tfjs';
import {
  convAnyPad,
  free,
  rotateSwapFilter,
  runWasmKernel,
  sampledChannelsFirst,
  swapFirstLast,
  swapOuter,
  view,
  zeroInsert,
  type WasmBackendLike,
} from './wasm-ops.js';

/** Attributes shared by the convolution gradient kernels. */
export type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
};

/** Refuses NCHW data and dilations > 1 with a readable error. */
export function checkFormat(attrs: ConvAttrs, kernel: string): void {
  if (attrs.dataFormat != null && attrs.dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only NHWC data (got ${attrs.dataFormat})`);
  }
  const d = attrs.dilations;
  if (d != null && (Array.isArray(d) ? d[0] !== 1 || d[1] !== 1 : d !== 1)) {
    throw new Error(`${kernel} on wasm does not support dilations > 1 (neither does tfjs-core's gradient)`);
  }
}

/** Gradient of a convolution with respect to its input, `dy * rot180(filter)ᵀ` on the dilated dy. */
export function inputGradient(
  backend: WasmBackendLike,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): tf.TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  const {
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
    inHeight: H,
    inWidth: W,
  } = info;
  const dyd = sh > 1 || sw > 1 ? zeroInsert(backend, dy, sh, sw) : dy;
  const Hd = dyd.shape[1];
  const Wd = dyd.shape[2];
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const pads = { top, left, bottom: H + kh - 1 - Hd - top, right: W + kw - 1 - Wd - left };
  const [fh, fw, a, b] = filter.shape;
  // Depthwise: [kh, kw, C, m] is [kh, kw, C*m, 1] per channel; the swap of a size-1 axis is a no-op.
  const f = depthwise ? view(filter, [fh, fw, a * b, 1]) : filter;
  const rot = rotateSwapFilter(backend, f);
  const rotF = depthwise ? view(rot, [fh, fw, a * b, 1]) : rot;
  let dx = convAnyPad(backend, dyd, rotF, pads, H, W, [1, 1], depthwise);
  free(backend, rot);
  if (dyd !== dy) free(backend, dyd);
  if (depthwise && b > 1) {
    // dx holds one map per (channel, multiplier) pair: add the multipliers up.
    const n = inputShape[0];
    const summed = runWasmKernel(
      'Sum',
      backend,
      { x: view(dx, [n, H, W, a, b]) },
      { axis: 4, keepDims: false },
    );
    free(backend, dx);
    dx = view(summed, [n, H, W, a]);
  }
  return dx;
}

/** Gradient of a (non-depthwise) convolution with respect to its filter, `[kh, kw, ci, co]`. */
export function filterGradient(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: number[],
  attrs: ConvAttrs,
): tf.TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
  );
  const {
    filterHeight: kh,
    filterWidth: kw,
    strideHeight: sh,
    strideWidth: sw,
    inHeight: H,
    inWidth: W,
  } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  if (kh === 1 && kw === 1 && top === 0 && left === 0) {
    // 1×1 kernels: dW = Xsᵀ · dy, one XNNPACK GEMM (Xs: x sampled at the stride, channels first).
    const [n, , , ci] = x.shape;
    const co = dy.shape[3];
    const P = n * oh * ow;
    const xs = sampledChannelsFirst(backend, x, sh, sw, oh, ow);
    const g = runWasmKernel(
      'BatchMatMul',
      backend,
      { a: view(xs, [1, ci, P]), b: view(dy, [1, P, co]) },
      { transposeA: false, transposeB: false },
    );
    free(backend, xs);
    return view(g, [1, 1, ci, co]);
  }
  const pads = { top, left, bottom: (oh - 1) * sh + kh - H - top, right: (ow - 1) * sw + kw - W - left };
  const xt = swapFirstLast(backend, x); // [ci, H, W, N]
  const dyt = swapOuter(backend, dy); // [oh, ow, N, co]
  const g = convAnyPad(backend, xt, dyt, pads, kh, kw, [sh, sw]); // [ci, kh, kw, co]
  free(backend, xt, dyt);
  const dw = swapOuter(backend, g);
  free(backend, g);
  return dw;
}

/** Kernel config: Conv2DBackpropInput (inputs dy, filter; attrs inputShape, strides, pad, ...). */
export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ConvAttrs & { inputShape: number[] };
    checkFormat(a, 'Conv2DBackpropInput');
    const b = backend as unknown as WasmBackendLike;
    return inputGradient(
      b,
      inputs.dy as tf.TensorInfo,
      inputs.filter as tf.TensorInfo,
      a.inputShape,
      a,
      false,
    );
  },
};

/** Kernel config: Conv2DBackpropFilter (inputs x, dy; attrs filterShape, strides, pad, ...). */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ConvAttrs & { filterShape: number[] };
    checkFormat(a, 'Conv2DBackpropFilter');
    const b = backend as unknown as WasmBackendLike;
    return filterGradient(b, inputs.x as tf.TensorInfo, inputs.dy as tf.TensorInfo, a.filterShape, a);
  },
};
