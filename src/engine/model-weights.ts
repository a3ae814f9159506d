/** Access to a tf.js model's weights by manifest name (`layer/short`), whatever suffix tf.js gave the variable. */
import type * as tf from '@tensorflow/tfjs';

/** A tf.js layer weight as the engines use it. */
export interface ModelWeight {
  name: string;
  layer: string;
  shortName: string;
  trainable: boolean;
  variable: tf.LayerVariable;
}

/** Every weight of a model keyed by `layer.name + '/' + shortName`. */
export function modelWeights(model: tf.LayersModel): Map<string, ModelWeight> {
  const out = new Map<string, ModelWeight>();
  for (const layer of model.layers) {
    for (const variable of layer.weights) {
      const original = (variable as unknown as { originalName?: string }).originalName ?? variable.name;
      const shortName = original.slice(original.lastIndexOf('/') + 1);
      const name = `${layer.name}/${shortName}`;
      out.set(name, {
        name,
        layer: layer.name,
        shortName,
        trainable: variable.trainable && layer.trainable,
        variable,
      });
    }
  }
  return out;
}

/** Names of the layers a user froze (`trainable = false`). */
export function frozenLayers(model: tf.LayersModel): Set<string> {
  return new Set(model.layers.filter((l) => !l.trainable).map((l) => l.name));
}
