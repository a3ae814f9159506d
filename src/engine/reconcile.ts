/**
 * Fixes what a tf.js model's own JSON leaves out before compiling: tf.js 4.22 does not serialise
 * SeparableConv2D's `depth_multiplier`, so the graph would assume 1; the real value is read from the
 * layer's depthwise kernel. Any other disagreement between graph and model weight shapes is reported.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../graph/types.js';
import { modelWeights } from './model-weights.js';

/** Patches the graph from the model's real weight shapes; returns a reason when they still disagree. */
export function reconcileWithModel(graph: ModelGraph, model: tf.LayersModel): string | null {
  const vars = modelWeights(model);
  for (const layer of graph.layers.values()) {
    if (layer.className === 'SeparableConv2D' && layer.config['depth_multiplier'] === undefined) {
      const dw = vars.get(`${layer.name}/depthwise_kernel`);
      const m = dw ? (dw.variable.shape[3] as number) : 1;
      layer.config['depth_multiplier'] = m;
      for (const w of layer.weights) {
        if (w.shortName === 'depthwise_kernel') w.shape = [w.shape[0], w.shape[1], w.shape[2], m];
        if (w.shortName === 'pointwise_kernel')
          w.shape = [1, 1, (dw?.variable.shape[2] as number) * m, w.shape[3]];
      }
    }
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
