/**
 * A broadcast BatchNorm gradient for the wasm backend. tfjs-core's FusedBatchNorm gradient tiles
 * rsqrt(variance) to the full activation shape and makes several full-size temporaries; on wasm, Tile
 * alone costs more than the convolutions. Here one kernel (`MorphnetFusedBatchNormGrad`, wasm only)
 * makes every gradient in one pass over x and dy, broadcasting the per-channel factors. Other backends
 * keep tfjs-core's own gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackendLike } from './wasm-ops.js';

/** Name of our fused BatchNorm gradient kernel (registered for wasm only). */
export const BN_GRAD_KERNEL = 'MorphnetFusedBatchNormGrad';

/**
 * Kernel config: inputs `x, dy, mean, variance[, scale]` (statistics per channel of the last axis),
 * attr `varianceEpsilon`; outputs `[dx, dMean, dVariance, dScale, dOffset]`, the same partial
 * derivatives tfjs-core's FusedBatchNorm gradient gives.
 */
export const batchNormGradConfig: tf.KernelConfig = {
  kernelName: BN_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmBackendLike;
    const { x, dy, mean, variance, scale } = inputs as Record<string, tf.TensorInfo | undefined>;
    if (x == null || dy == null || mean == null || variance == null) {
      throw new Error(`${BN_GRAD_KERNEL} needs x, dy, mean and variance`);
    }
    const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
    const C = mean.shape[0];
    const dx = b.makeOutput(x.shape, 'float32');
    const outs = [mean, variance, mean, mean].map(() => b.makeOutput([C], 'float32'));
    const X = heapF32(b, x);
    const DY = heapF32(b, dy);
    const M = heapF32(b, mean);
    const V = heapF32(b, variance);
    const S = scale != null ? heapF32(b, scale) : null;
    const DX = heapF32(b, dx);
    const r = new Float64Array(C);
    const k = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      r[c] = 1 / Math.sqrt(V[c] + eps);
      k[c] = (S != null ? S[c] : 1) * r[c];
    }
    const sumDy = new Float64Array(C);
    const sumDyXm = new Float64Array(C);
    const P = X.length / C;
    for (let p = 0, o = 0; p < P; p++, o += C) {
      for (let c = 0; c < C; c++) {
        const d = DY[o + c];
        DX[o + c] = d * k[c];
        sumDy[c] += d;
        sumDyXm[c] += d * (X[o + c] - M[c]);
      }
    }
    const [dMean, dVar, dScale, dOffset] = outs.map((o) => heapF32(b, o));
    for (let c = 0; c < C; c++) {
      const g = S != null ? S[c] : 1;
      dMean[c] = -g * r[c] * sumDy[c];
      dVar[c] = -0.5 * r[c] * r[c] * r[c] * g * sumDyXm[c];
      dScale[c] = sumDyXm[c] * r[c];
      dOffset[c] = sumDy[c];
    }
    return [dx, ...outs];
  },
};

let installed = false;

/**
 * Replaces the FusedBatchNorm gradient by one that uses our fused kernel on wasm (channel-last
 * statistics of rank 1) and tfjs-core's original gradient everywhere else. Idempotent.
 */
export function installBatchNormGradient(): void {
  if (tf.getKernel(BN_GRAD_KERNEL, 'wasm') == null) tf.registerKernel(batchNormGradConfig);
  if (installed) return;
  const original = tf.getGradient('FusedBatchNorm');
  if (original == null) throw new Error('tfjs-core has no FusedBatchNorm gradient to replace');
  tf.registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: original.inputsToSave,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved;
      const single = Array.isArray(dy) ? dy[0] : dy;
      const fits =
        tf.getBackend() === 'wasm' &&
        x.dtype === 'float32' &&
        mean.rank === 1 &&
        variance.rank === 1 &&
        (scale == null || scale.rank === 1) &&
        mean.shape[0] === x.shape[x.rank - 1];
      if (!fits) return original.gradFunc(dy, saved, attrs);
      const inputs: Record<string, tf.Tensor> = { x, dy: single, mean, variance };
      if (scale != null) inputs.scale = scale;
      const [dx, dMean, dVar, dScale, dOffset] = tf
        .engine()
        .runKernel(BN_GRAD_KERNEL, inputs, { varianceEpsilon: attrs.varianceEpsilon }) as tf.Tensor[];
      return {
        x: () => dx,
        mean: () => dMean,
        variance: () => dVar,
        scale: () => dScale,
        offset: () => dOffset,
      };
    },
  });
  installed = true;
}
