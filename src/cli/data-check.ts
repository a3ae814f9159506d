/** Checks, before any training, that a data set fits a model's input and output. */
import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.js';
import { MorphnetError } from '../errors.js';

/** Throws one sentence naming the data and the model when images or classes do not fit. */
export function checkModelFitsData(model: tf.LayersModel, data: Dataset, modelName: string, dataName: string): void {
  const want = model.inputs[0].shape.slice(1);
  const got = data.imageShape;
  if (want.length !== 3 || want.some((d, i) => d !== null && d !== got[i])) {
    throw new MorphnetError(
      `--data ${dataName}: images are ${got.join('×')}, but ${modelName} takes ${want.map((d) => d ?? '?').join('×')}.`,
    );
  }
  const out = model.outputs[0].shape;
  const units = out[out.length - 1];
  if (units !== data.classes) {
    throw new MorphnetError(`--data ${dataName}: has ${data.classes} classes, but ${modelName} outputs ${String(units)}.`);
  }
}
