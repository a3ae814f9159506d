/** Moving weights between tf.js layout and the graphs' native layout. */
import type { WeightLayout } from './types.js';

/** Transposes a row-major array of `shape` by `perm` (output axis i = input axis perm[i]). */
export function permute(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  if (perm.every((p, i) => p === i)) return Float32Array.from(data);
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * strides[i];
    out[o] = data[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/** tf.js layout → native layout. */
export function toNative(data: Float32Array, tfShape: number[], layout: WeightLayout): Float32Array {
  return permute(data, tfShape, layout.perm);
}

/** Native layout → tf.js layout. */
export function fromNative(data: Float32Array, tfShape: number[], layout: WeightLayout): Float32Array {
  const transposed = layout.perm.map((p) => tfShape[p]);
  const inverse = new Array<number>(layout.perm.length);
  layout.perm.forEach((p, i) => (inverse[p] = i));
  return permute(data, transposed, inverse);
}
