/**
 * Sum and Mean over the leading axes (e.g. a per-channel reduction of NHWC activations over N, H, W)
 * for the wasm backend. The stock kernels transpose the input first so the reduced axes come last,
 * and that transpose costs more than the reduction; here one pass over the data accumulates each
 * trailing position in float64. Every other case goes to the original kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackendLike } from './wasm-ops.js';

const originals = new Map<string, tf.KernelConfig>();

/** Remembers the kernel ours replaces, for the cases ours does not handle. */
export function setFallback(config: tf.KernelConfig): void {
  originals.set(config.kernelName, config);
}

/** Number of leading axes reduced, or -1 when `axis` is not a proper leading run `0..k-1`. */
function leadingAxes(axis: number | number[], shape: number[]): number {
  const axes = tf.util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return -1;
  return axes.every((a, i) => a === i) ? axes.length : -1;
}

function makeReduce(kernelName: 'Sum' | 'Mean'): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const x = inputs.x as tf.TensorInfo;
      const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape) : -1;
      if (k < 0) {
        const original = originals.get(kernelName);
        if (original == null) throw new Error(`no original wasm '${kernelName}' kernel to fall back to`);
        return original.kernelFunc(args);
      }
      const b = backend as unknown as WasmBackendLike;
      const rest = x.shape.slice(k);
      const rows = x.shape.slice(0, k).reduce((p, d) => p * d, 1);
      const cols = rest.reduce((p, d) => p * d, 1);
      const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
      const out = b.makeOutput(outShape, 'float32');
      const X = heapF32(b, x);
      const acc = new Float64Array(cols);
      for (let r = 0, o = 0; r < rows; r++, o += cols) {
        for (let c = 0; c < cols; c++) acc[c] += X[o + c];
      }
      if (kernelName === 'Mean' && rows > 0) for (let c = 0; c < cols; c++) acc[c] /= rows;
      heapF32(b, out).set(acc);
      return out;
    },
  };
}

/** Kernel config: Sum over leading axes (falls back to the original wasm Sum otherwise). */
export const sumConfig = makeReduce('Sum');
/** Kernel config: Mean over leading axes (falls back to the original wasm Mean otherwise). */
export const meanConfig = makeReduce('Mean');
