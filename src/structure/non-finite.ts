/** Finding weights that are NaN or infinite, so the commands that copy them can say so, layer by layer. */
import type * as tf from '@tensorflow/tfjs';
import type { WeightValues } from './weights.js';

/**
 * One warning per layer whose weights hold NaN or ±Infinity (`weights` keyed by manifest name, as
 * `readWeights` gives them), naming the layer and the weights, e.g.
 * `layer "conv2": its kernel holds 3 NaN or infinite values of 288; they are copied as they are.`
 */
export function nonFiniteWarnings(model: tf.LayersModel, weights: Map<string, WeightValues>): string[] {
  const warnings: string[] = [];
  for (const layer of model.layers) {
    const bad: string[] = [];
    for (const w of layer.weights) {
      const values = weights.get(w.originalName)?.values;
      if (!values) continue;
      let count = 0;
      for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
      if (count > 0)
        bad.push(
          `${w.originalName.split('/').pop()} holds ${count} NaN or infinite values of ${values.length}`,
        );
    }
    if (bad.length > 0)
      warnings.push(
        `layer ${JSON.stringify(layer.name)}: its ${bad.join(', its ')}; they are copied as they are.`,
      );
  }
  return warnings;
}
