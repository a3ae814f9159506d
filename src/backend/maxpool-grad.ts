/**
 * MaxPoolGrad for the wasm backend. The stock wasm kernel drops the gradient of windows that hang
 * over the bottom/right edge ('same' padding on odd sizes: a 5×4 input pooled 2×2/2 loses its last
 * row's gradients). This one follows tfjs-core/cpu: each output's gradient goes to the first maximum
 * of its window (row-major), padding never wins.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackendLike } from './wasm-ops.js';

type PoolAttrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Kernel config: MaxPoolGrad (inputs dy, input, output; attrs filterSize, strides, pad, ...). */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmBackendLike;
    const dy = inputs.dy as tf.TensorInfo;
    const x = inputs.input as tf.TensorInfo;
    const a = attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      a.filterSize,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const dx = b.makeOutput(x.shape, 'float32');
    const X = heapF32(b, x);
    const DY = heapF32(b, dy);
    const DX = heapF32(b, dx);
    DX.fill(0);
    const best = new Float32Array(C);
    const where = new Int32Array(C);
    for (let n = 0; n < N; n++) {
      for (let oy = 0; oy < OH; oy++) {
        for (let ox = 0; ox < OW; ox++) {
          best.fill(-Infinity);
          where.fill(-1);
          for (let i = 0; i < FH; i++) {
            const iy = oy * SH + i - top;
            if (iy < 0 || iy >= H) continue;
            for (let j = 0; j < FW; j++) {
              const ix = ox * SW + j - left;
              if (ix < 0 || ix >= W) continue;
              const off = ((n * H + iy) * W + ix) * C;
              for (let c = 0; c < C; c++) {
                const v = X[off + c];
                if (v > best[c] || where[c] < 0) {
                  best[c] = v;
                  where[c] = off + c;
                }
              }
            }
          }
          const dyOff = ((n * OH + oy) * OW + ox) * C;
          for (let c = 0; c < C; c++) if (where[c] >= 0) DX[where[c]] += DY[dyOff + c];
        }
      }
    }
    return dx;
  },
};
