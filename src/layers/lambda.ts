/**
 * Layers holding Python code (Lambda, and the TFOpLambda / SlicingOpLambda layers tf.keras writes for
 * operators on tensors such as `x + 3.0`): no JavaScript runtime can run them, so they are refused in
 * one sentence naming the layer and what to write instead.
 */
import { passThrough } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** The refusal of a layer that holds Python code: `what` says which kind (a Python lambda, a Keras operation …). */
export function pythonCodeRefusal(layer: string, className: string, what = 'a Python lambda'): string {
  return `layer "${layer}" (${className}) is ${what}, which no JavaScript runtime can run; replace it by Keras layers before converting (x + c or x · c by Rescaling, a clipped ReLU by ReLU(max_value), a product of tensors by Multiply).`;
}

const definition: LayerDefinition<Record<string, never>> = {
  names: ['Lambda', 'TFOpLambda', 'SlicingOpLambda'],
  parse: () => ({}),
  outputShape: (inputs) => [...inputs[0]],
  channels: (ctx) => passThrough(ctx),
  tfjs: { availability: 'none' },
  refusal: (layer, className) => pythonCodeRefusal(layer, className),
};

/** The Python-code layers in the registry (refused). */
export const lambda = defineLayer(definition);
