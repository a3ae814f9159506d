/**
 * Depthwise convolution gradient kernels for the wasm backend. The input gradient is a depthwise
 * convolution (XNNPACK) of the stride-dilated output gradient with the rotated filter; the filter
 * gradient is a direct loop over the wasm heap with float64 accumulators (its "filter" would be the
 * whole output gradient, a shape XNNPACK's depthwise kernels do not cover).
 */
import * as tf from '@tensorflow/tfjs';
import { checkFormat, inputGradient, type ConvAttrs } from './conv-grad.js';
import { heapF32, type WasmBackendLike } from './wasm-ops.js';

/** Gradient of a depthwise convolution with respect to its filter `[kh, kw, C, m]`. */
export function depthwiseFilterGradient(
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
    true,
  );
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const M = filterShape[3];
  const CM = C * M;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const acc = new Float64Array(KH * KW * CM);
  const out = backend.makeOutput(filterShape, 'float32');
  const X = heapF32(backend, x);
  const DY = heapF32(backend, dy);
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        const dyOff = ((n * OH + oy) * OW + ox) * CM;
        for (let i = 0; i < KH; i++) {
          const iy = oy * SH + i - top;
          if (iy < 0 || iy >= H) continue;
          for (let j = 0; j < KW; j++) {
            const ix = ox * SW + j - left;
            if (ix < 0 || ix >= W) continue;
            const xOff = ((n * H + iy) * W + ix) * C;
            const aOff = (i * KW + j) * CM;
            if (M === 1) {
              for (let c = 0; c < C; c++) acc[aOff + c] += X[xOff + c] * DY[dyOff + c];
            } else {
              for (let c = 0; c < C; c++) {
                const xv = X[xOff + c];
                for (let q = 0; q < M; q++) acc[aOff + c * M + q] += xv * DY[dyOff + c * M + q];
              }
            }
          }
        }
      }
    }
  }
  heapF32(backend, out).set(acc);
  return out;
}

/** Kernel config: DepthwiseConv2dNativeBackpropInput (inputs dy, filter; attrs inputShape, ...). */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ConvAttrs & { inputShape: number[] };
    checkFormat(a, 'DepthwiseConv2dNativeBackpropInput');
    const b = backend as unknown as WasmBackendLike;
    return inputGradient(
      b,
      inputs.dy as tf.TensorInfo,
      inputs.filter as tf.TensorInfo,
      a.inputShape,
      a,
      true,
    );
  },
};

/** Kernel config: DepthwiseConv2dNativeBackpropFilter (inputs x, dy; attrs filterShape, ...). */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as ConvAttrs & { filterShape: number[] };
    checkFormat(a, 'DepthwiseConv2dNativeBackpropFilter');
    const b = backend as unknown as WasmBackendLike;
    return depthwiseFilterGradient(
      b,
      inputs.x as tf.TensorInfo,
      inputs.dy as tf.TensorInfo,
      a.filterShape,
      a,
    );
  },
};
