/**
 * Checks a graph against the tf.js model it was read from before compiling: every weight the graph
 * expects exists with its shape. (The topology the graph reads is completed from the model's weights
 * first, see `modelTopology`.)
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../graph/types.js';
import { modelWeights } from './model-weights.js';

/** The first disagreement between the graph's weights and the model's, or null. */
export function reconcileWithModel(graph: ModelGraph, model: tf.LayersModel): string | null {
  const vars = modelWeights(model);
  for (const layer of graph.layers.values()) {
    for (const w of layer.weights) {
      const v = vars.get(w.name);
      if (!v) return `layer "${layer.name}" (${layer.className}) has no weight "${w.shortName}" in the model`;
      const shape = v.variable.shape as number[];
      if (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i])) {
        return `layer "${layer.name}" (${layer.className}): weight "${w.shortName}" is [${shape.join(', ')}] in the model but the graph expects [${w.shape.join(', ')}]`;
      }
    }
  }
  return null;
}
