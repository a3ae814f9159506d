/** Reads a tf.js model's weights by manifest name (`layer/short`), whatever suffix tf.js gave the variable. */
import type * as tf from '@tensorflow/tfjs';
import type { WeightValues } from './switch-values.js';

/** The model's weight variables keyed by `layer.name + '/' + shortName`. */
export function weightVariables(model: tf.LayersModel): Map<string, tf.LayerVariable> {
  const out = new Map<string, tf.LayerVariable>();
  for (const layer of model.layers) {
    for (const v of layer.weights) {
      const original = (v as unknown as { originalName?: string }).originalName ?? v.name;
      out.set(`${layer.name}/${original.slice(original.lastIndexOf('/') + 1)}`, v);
    }
  }
  return out;
}

/** Current values of the named weights of a model (read outside any tidy: that is slow on this machine). */
export async function readWeights(model: tf.LayersModel, names: string[]): Promise<WeightValues> {
  const vars = weightVariables(model);
  const out: WeightValues = new Map();
  for (const name of names) {
    const v = vars.get(name);
    if (!v) continue;
    const t = v.read();
    out.set(name, { values: (await t.data()) as Float32Array, shape: t.shape.slice() });
  }
  return out;
}

/** The model's weights as tensors, for `NetworkRegularizer.lossTensor` inside a user's tf.js loop. */
export function weightTensors(model: tf.LayersModel): (name: string) => tf.Tensor | undefined {
  const vars = weightVariables(model);
  return (name) => vars.get(name)?.read();
}
