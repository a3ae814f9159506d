/**
 * Seeded fresh weights for any Layers model, so every network of a run (seed, uniform baseline, expanded
 * nets) starts the same way from its seed: kernels Glorot-uniform (Keras' default), biases and β zero,
 * γ and moving variances one, moving means zero, PReLU slopes zero.
 */
import * as tf from '@tensorflow/tfjs';
import { layerSeed } from '../zoo/index.js';

function initialValue(shortName: string, shape: number[], seed: number): tf.Tensor {
  if (shortName.endsWith('kernel')) return tf.initializers.glorotUniform({ seed }).apply(shape);
  if (shortName === 'gamma' || shortName === 'moving_variance') return tf.ones(shape);
  return tf.zeros(shape);
}

/** Replaces every weight of `model` with seeded initial values (in place). */
export function reinitialize(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    const weights = layer.weights;
    if (weights.length === 0) continue;
    const values = weights.map((w) => {
      const shortName = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      return initialValue(shortName, w.shape as number[], layerSeed(seed, w.originalName));
    });
    layer.setWeights(values);
    values.forEach((v) => v.dispose());
  }
}
