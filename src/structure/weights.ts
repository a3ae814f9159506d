/** Reading a tf.js model's weights by manifest name, and copying weights between layouts of different widths. */
import type * as tf from '@tensorflow/tfjs';

/** One weight's values and shape. */
export interface WeightValues {
  values: Float32Array;
  shape: number[];
}

/** Every weight of a model (BN moving statistics included), keyed by manifest name (`conv1/kernel`). */
export function readWeights(model: tf.LayersModel): Map<string, WeightValues> {
  const out = new Map<string, WeightValues>();
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const values = w.read().dataSync() as Float32Array;
      out.set(w.originalName, { values: Float32Array.from(values), shape: [...w.shape] as number[] });
    }
  }
  return out;
}

/**
 * Copies `from` into `into` element by element: along each axis, old index i goes to `maps[axis][i]`
 * (skipped when negative; a null map is the identity, skipped beyond the new size).
 */
export function remapInto(
  from: WeightValues,
  into: WeightValues,
  maps: (Int32Array | null | undefined)[],
): void {
  const rank = from.shape.length;
  if (into.shape.length !== rank) throw new Error('remapInto: ranks differ');
  const oldStrides = strides(from.shape);
  const newStrides = strides(into.shape);
  // Per axis, the new offset contribution of each old index (-1: dropped).
  const axisOffsets = from.shape.map((n, a) => {
    const m = maps[a];
    const offs = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = m ? m[i] : i < into.shape[a] ? i : -1;
      offs[i] = j < 0 ? -1 : j * newStrides[a];
    }
    return offs;
  });
  const total = from.values.length;
  const idx = new Int32Array(rank);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    let target = 0;
    let keep = true;
    for (let a = 0; a < rank; a++) {
      idx[a] = Math.floor(rem / oldStrides[a]);
      rem -= idx[a] * oldStrides[a];
      const o = axisOffsets[a][idx[a]];
      if (o < 0) {
        keep = false;
        break;
      }
      target += o;
    }
    if (keep) into.values[target] = from.values[flat];
  }
}

/** Row-major strides of a shape. */
export function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let a = shape.length - 2; a >= 0; a--) s[a] = s[a + 1] * shape[a + 1];
  return s;
}
