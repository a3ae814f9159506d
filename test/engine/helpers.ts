/** Shared helpers of the engine tests: small models, seeded batches, gradient comparison. */
import * as tf from '@tensorflow/tfjs';
import { OnnxEngine, TfjsEngine, createEngine } from '../../src/engine/index.js';
import type { EngineOptions } from '../../src/engine/index.js';
import { mulberry32 } from '../../src/data/random.js';

export const rng = mulberry32;

/** Inputs in ±[away, away + 1): kept away from the ReLU kink at 0. */
export function awayFromZero(shape: number[], seed: number, away = 0.05): tf.Tensor {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (r() < 0.5 ? -1 : 1) * (away + r());
  return tf.tensor(data, shape);
}

/** Random one-hot labels. */
export function oneHot(n: number, classes: number, seed: number): tf.Tensor {
  const r = rng(seed);
  const data = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) data[i * classes + Math.floor(r() * classes)] = 1;
  return tf.tensor(data, [n, classes]);
}

/** Sets every weight of a model from a seeded generator (kernels ±0.5, γ around 1, variances > 0). */
export function seedWeights(model: tf.LayersModel, seed: number): void {
  const r = rng(seed);
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      if (w.dtype !== 'float32') continue; // an integer weight (Normalization's count) keeps its value
      const short = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = r() * 2 - 1;
        data[i] =
          short === 'gamma'
            ? 1 + 0.5 * u
            : short === 'moving_variance'
              ? 0.5 + r()
              : short === 'moving_mean'
                ? 0.2 * u
                : 0.5 * u;
      }
      w.write(tf.tensor(data, w.shape as number[]));
    }
  }
}

/** Largest |a − b| over the largest |b|: the relative error of one tensor. */
export function relErr(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let ref = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    ref = Math.max(ref, Math.abs(b[i]));
  }
  return ref === 0 ? diff : diff / ref;
}

/** Gradients of the onnx engine and of tf.variableGrads (through the tfjs engine) on one batch. */
export async function bothGradients(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  options: EngineOptions = {},
  extra: Record<string, Float32Array> = {},
  only?: 'onnx-only',
): Promise<{
  onnx: { loss: number; grads: Record<string, Float32Array> };
  tfjs: { loss: number; grads: Record<string, Float32Array> };
}> {
  // Logit heads by default (the grid's models end in a linear Dense): softmax cross-entropy on logits.
  const opts: EngineOptions = { loss: 'categorical-crossentropy', ...options };
  const onnx = await createEngine(model, { ...opts, engine: 'onnx', threads: 1 });
  if (!(onnx instanceof OnnxEngine)) throw new Error('expected the onnx engine');
  const ref = new TfjsEngine(model, opts);
  onnx.setExtraGradient(extra);
  ref.setExtraGradient(extra);
  const a = await onnx.gradients(xs, ys);
  const b = only ? a : await ref.gradients(xs, ys);
  onnx.dispose();
  ref.dispose();
  return { onnx: a, tfjs: b };
}

/** The worst relative error over all gradients (and the loss), with the name of the worst tensor. */
export function worst(
  a: { loss: number; grads: Record<string, Float32Array> },
  b: { loss: number; grads: Record<string, Float32Array> },
): { err: number; name: string } {
  let err = Math.abs(a.loss - b.loss) / Math.max(Math.abs(b.loss), 1e-6);
  let name = 'loss';
  const keysA = Object.keys(a.grads).sort();
  const keysB = Object.keys(b.grads).sort();
  if (keysA.join() !== keysB.join())
    return { err: Infinity, name: `keys ${keysA.join()} vs ${keysB.join()}` };
  for (const k of keysB) {
    const e = relErr(a.grads[k], b.grads[k]);
    if (!(e <= err)) {
      err = e;
      name = k;
    }
  }
  return { err, name };
}

/**
 * Reference gradients by `tf.variableGrads` over a chain model applied layer by layer, with some layers
 * replaced by an equivalent tf function (where tf.js's own gradient kernel is wrong). Logit outputs only.
 */
export function chainGradients(
  model: tf.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  replace: Record<string, (x: tf.Tensor) => tf.Tensor>,
): { loss: number; grads: Record<string, Float32Array> } {
  const weights = [...modelWeightsOf(model)].filter((w) => w.trainable);
  const vars = weights.map((w) => w.variable.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    let y = xs;
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      const f = replace[layer.name];
      y = f ? f(y) : (layer.apply(y, { training: true }) as tf.Tensor);
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.logSoftmax(y as tf.Tensor2D)), -1))) as tf.Scalar;
  }, vars);
  const out: Record<string, Float32Array> = {};
  weights.forEach((w, i) => (out[w.name] = grads[vars[i].name].dataSync() as Float32Array));
  return { loss: value.dataSync()[0], grads: out };
}

function* modelWeightsOf(model: tf.LayersModel) {
  for (const layer of model.layers) {
    for (const variable of layer.weights) {
      const short = variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);
      yield {
        name: `${layer.name}/${short}`,
        trainable: variable.trainable && !short.startsWith('moving_'),
        variable,
      };
    }
  }
}
