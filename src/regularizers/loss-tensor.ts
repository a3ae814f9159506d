/**
 * The network regularization loss as a differentiable tf.js scalar: per-class max of the sources' switch
 * values (|γ| or kernel RMS), weighted by the class weights `∂loss/∂r[c]` (alive counts constant).
 * The max is a chain of `tf.maximum` over gathers of the sources' values in source order, so on ties the
 * gradient goes to the first source, as `NetworkRegularizer.evaluate` assigns its coefficients.
 */
import * as tf from '@tensorflow/tfjs';
import type { SourceSpec } from '../groups/types.js';

/** Source weight tensors by manifest name (a map or a lookup function). */
export type TensorLookup = Map<string, tf.Tensor> | ((name: string) => tf.Tensor | undefined);

/** The switch values of one source as a tensor: |γ|, or the RMS over every axis but the output axis. */
export function switchTensor(source: SourceSpec, w: tf.Tensor): tf.Tensor1D {
  if (source.kind === 'gamma') return tf.abs(w) as tf.Tensor1D;
  const axes = w.shape.map((_, i) => i).filter((i) => i !== source.axis);
  return tf.sqrt(tf.mean(tf.square(w), axes)) as tf.Tensor1D;
}

/** `Σ_c w[c] · max_sources value[c]` as a tf.js scalar (classes with w[c] = 0 are left out). */
export function lossTensor(
  sources: SourceSpec[],
  classCount: number,
  weights: Float64Array,
  tensors: TensorLookup,
): tf.Scalar {
  const get = typeof tensors === 'function' ? tensors : (n: string) => tensors.get(n);
  return tf.tidy(() => {
    const slot = new Int32Array(classCount).fill(-1);
    const selected: number[] = [];
    for (let c = 0; c < classCount; c++) {
      if (weights[c] !== 0) {
        slot[c] = selected.length;
        selected.push(c);
      }
    }
    const parts: tf.Tensor1D[] = [];
    const candidates: number[][] = selected.map(() => []);
    let offset = 0;
    for (const s of sources) {
      const w = get(s.weight);
      if (!w) continue;
      parts.push(switchTensor(s, w));
      s.ids.forEach((c, i) => {
        if (slot[c] >= 0) candidates[slot[c]].push(offset + i);
      });
      offset += s.ids.length;
    }
    if (selected.length === 0 || parts.length === 0) return tf.scalar(0);
    const flat = tf.concat([...parts, tf.zeros([1])]);
    const pad = offset;
    const ranks = Math.max(1, ...candidates.map((c) => c.length));
    let max: tf.Tensor | undefined;
    for (let r = 0; r < ranks; r++) {
      const idx = tf.tensor1d(
        candidates.map((c) => c[r] ?? pad),
        'int32',
      );
      const g = tf.gather(flat, idx);
      max = max ? tf.maximum(max, g) : g;
    }
    const w = tf.tensor1d(Float32Array.from(selected, (c) => weights[c]));
    return tf.sum(tf.mul(max!, w)) as tf.Scalar;
  });
}
