/** Checks that a data set fits a model before any training starts (one readable sentence when it does not). */
import type { Dataset } from './types.js';

/**
 * Throws when the data set's images or classes do not fit the model's input shape (`[H, W, C]`, optionally
 * with a leading batch dimension, `null` for any size) or its number of outputs. `model` names it in the message.
 */
export function checkDataFitsModel(
  dataset: Pick<Dataset, 'name' | 'imageShape' | 'classes'>,
  inputShape: readonly (number | null | undefined)[],
  outputClasses: number | null | undefined,
  model: string,
): void {
  const batched = inputShape.length === 4 || (inputShape.length !== 3 && (inputShape[0] ?? null) === null);
  const shape = batched ? inputShape.slice(1) : inputShape;
  const data = dataset.imageShape.join('×');
  if (shape.length !== 3) {
    throw new Error(
      `${model} takes input of shape ${fmt(shape)}, not images; ${dataset.name} holds ${data} images.`,
    );
  }
  const fits = shape.every((d, i) => d === null || d === undefined || d === dataset.imageShape[i]);
  if (!fits) {
    throw new Error(`${model} takes ${fmt(shape)} images but ${dataset.name} holds ${data} images.`);
  }
  if (outputClasses !== null && outputClasses !== undefined && outputClasses !== dataset.classes) {
    throw new Error(
      `${model} has ${outputClasses} outputs but ${dataset.name} has ${dataset.classes} classes.`,
    );
  }
}

function fmt(shape: readonly (number | null | undefined)[]): string {
  return shape.map((d) => (d === null || d === undefined ? 'any' : String(d))).join('×');
}
