/** Shared helpers of the zoo tests. */
import * as tf from '@tensorflow/tfjs';

/** Output shape (without batch) of the layer named `name`. */
export function layerOutputShape(model: tf.LayersModel, name: string): (number | null)[] {
  const shape = model.getLayer(name).outputShape as (number | null)[];
  return shape.slice(1);
}

/** Number of elements in the trainable weights. */
export function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

/** Names of the layers of class `className`. */
export function layersOfClass(model: tf.LayersModel, className: string): string[] {
  return model.layers.filter((l) => l.getClassName() === className).map((l) => l.name);
}
