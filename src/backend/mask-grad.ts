/**
 * One-pass gradients for the piecewise-linear activations on wasm: Relu, Relu6 and ClipByValue
 * (tfjs-layers' relu6 is a clipByValue). tfjs-core builds each from 3–5 full-size ops (comparisons,
 * logicalAnd, cast, select/multiply); here one kernel passes dy through where x lies in the linear
 * range and writes 0 elsewhere. Other backends keep tfjs-core's gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { heapF32, type WasmBackendLike } from './wasm-ops.js';

/** Name of our masked-gradient kernel (registered for wasm only). */
export const MASK_GRAD_KERNEL = 'MorphnetRangeMaskGrad';

/**
 * Kernel config: inputs `x, dy`, attrs `lo, hi, loInclusive, hiInclusive`; output `dy` where `x` is
 * inside the range, else 0.
 */
export const maskGradConfig: tf.KernelConfig = {
  kernelName: MASK_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const b = backend as unknown as WasmBackendLike;
    const x = inputs.x as tf.TensorInfo;
    const dy = inputs.dy as tf.TensorInfo;
    const { lo, hi, loInclusive, hiInclusive } = attrs as unknown as {
      lo: number;
      hi: number;
      loInclusive: boolean;
      hiInclusive: boolean;
    };
    const out = b.makeOutput(x.shape, 'float32');
    const X = heapF32(b, x);
    const DY = heapF32(b, dy);
    const O = heapF32(b, out);
    const n = X.length;
    // Branch-free (the comparisons become 0/1): x's sign pattern is random, and a branch per element
    // mispredicts half the time, which costs more than the whole multiply.
    if (loInclusive && hiInclusive) {
      for (let i = 0; i < n; i++) O[i] = DY[i] * (+(X[i] >= lo) & +(X[i] <= hi));
    } else if (!loInclusive && hiInclusive) {
      for (let i = 0; i < n; i++) O[i] = DY[i] * (+(X[i] > lo) & +(X[i] <= hi));
    } else if (!loInclusive && !hiInclusive) {
      for (let i = 0; i < n; i++) O[i] = DY[i] * (+(X[i] > lo) & +(X[i] < hi));
    } else {
      for (let i = 0; i < n; i++) O[i] = DY[i] * (+(X[i] >= lo) & +(X[i] < hi));
    }
    return out;
  },
};

type Range = { lo: number; hi: number; loInclusive: boolean; hiInclusive: boolean };

/** The linear range of each activation, as tfjs-core's gradients define it. */
const ranges: Record<string, (attrs: tf.NamedAttrMap) => Range> = {
  Relu: () => ({ lo: 0, hi: Infinity, loInclusive: false, hiInclusive: false }),
  Relu6: () => ({ lo: 0, hi: 6, loInclusive: false, hiInclusive: true }),
  ClipByValue: (a) => ({
    lo: a.clipValueMin as number,
    hi: a.clipValueMax as number,
    loInclusive: true,
    hiInclusive: true,
  }),
};

let installed = false;

/** Replaces the Relu, Relu6 and ClipByValue gradients by the one-pass kernel on wasm. Idempotent. */
export function installMaskGradients(): void {
  if (tf.getKernel(MASK_GRAD_KERNEL, 'wasm') == null) tf.registerKernel(maskGradConfig);
  if (installed) return;
  for (const [kernelName, range] of Object.entries(ranges)) {
    const original = tf.getGradient(kernelName);
    if (original == null) throw new Error(`tfjs-core has no ${kernelName} gradient to replace`);
    tf.registerGradient({
      kernelName,
      inputsToSave: original.inputsToSave,
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved;
        const single = Array.isArray(dy) ? dy[0] : dy;
        if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || single.dtype !== 'float32') {
          return original.gradFunc(dy, saved, attrs);
        }
        const dx = tf.engine().runKernel(MASK_GRAD_KERNEL, { x, dy: single }, range(attrs)) as tf.Tensor;
        return { x: () => dx };
      },
    });
  }
  installed = true;
}
