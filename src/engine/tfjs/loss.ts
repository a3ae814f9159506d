/**
 * The losses of the `tfjs` engine in tf ops, on the model's output as `model.apply` gives it (after its
 * softmax or sigmoid, where the loss fuses one): the same values as the onnx engine's loss section,
 * whose gradients tf.js derives.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResolvedLoss } from '../losses.js';

/** Keras' clipping of probabilities before a log (`backend.epsilon()`). */
const EPSILON = 1e-7;

/** The mean loss of a batch: `output` [N, …] from the model, `ys` in the same shape. */
export function lossTf(loss: ResolvedLoss, output: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.tidy((): tf.Tensor => {
    switch (loss.name) {
      case 'categorical-crossentropy': {
        const logp = loss.fused === 'softmax' ? tf.log(output) : tf.logSoftmax(output);
        return tf.neg(tf.mean(tf.sum(tf.mul(ys, logp), -1)));
      }
      case 'binary-crossentropy': {
        if (loss.fused === 'none') return tf.mean(tf.sub(tf.softplus(output), tf.mul(output, ys)));
        const p = tf.clipByValue(output, EPSILON, 1 - EPSILON);
        const ll = tf.add(tf.mul(ys, tf.log(p)), tf.mul(tf.sub(1, ys), tf.log(tf.sub(1, p))));
        return tf.neg(tf.mean(ll));
      }
      case 'mse':
        return tf.mean(tf.square(tf.sub(output, ys)));
      case 'mae':
        return tf.mean(tf.abs(tf.sub(output, ys)));
    }
  }) as tf.Scalar;
}

/** The batch accuracy (categorical: argmax; binary: threshold 0.5 per unit), or null for mse and mae. */
export function accuracyTf(loss: ResolvedLoss, output: tf.Tensor, ys: tf.Tensor): tf.Scalar | null {
  if (loss.name === 'categorical-crossentropy') {
    const hit = () => tf.cast(tf.equal(tf.argMax(output, -1), tf.argMax(ys, -1)), 'float32');
    return tf.tidy(() => tf.mean(hit()) as tf.Scalar);
  }
  if (loss.name === 'binary-crossentropy') {
    const threshold = loss.fused === 'sigmoid' ? 0.5 : 0;
    const hit = () => tf.cast(tf.equal(tf.greater(output, threshold), tf.greater(ys, 0.5)), 'float32');
    return tf.tidy(() => tf.mean(hit()) as tf.Scalar);
  }
  return null;
}
