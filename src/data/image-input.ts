/**
 * What images become for a model: the input shape (the model's H × W × C, with `imageSize` where the
 * model leaves H and W unknown) and the targets made from class labels (Keras' `label_mode`).
 */
import { MorphnetError } from '../errors.js';
import { oneHot } from './batches.js';
import type { ImageShape } from './types.js';

/** Targets from class labels: `categorical` one-hot rows, or `binary` one 0/1 value (two classes). */
export type LabelMode = 'categorical' | 'binary';

/** Options that fix the image input. */
export interface ImageInputOptions {
  /** `[H, W]` to resize to where the model's input leaves them unknown; must agree with known sizes. */
  imageSize?: readonly [number, number];
  /** Targets (default `categorical`); `binary` needs exactly two classes. */
  labelMode?: LabelMode;
}

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

/**
 * The `[H, W, C]` images are converted to for a model whose input is `inputShape` (`[H, W, C]`, or
 * `[batch, H, W, C]`; null or undefined for unknown sizes). Throws a `MorphnetError` when the model does
 * not take images of 1 or 3 channels, or leaves a size unknown that `imageSize` does not give.
 */
export function inputShapeFor(
  inputShape: readonly (number | null | undefined)[],
  options: ImageInputOptions = {},
): ImageShape {
  const dims = inputShape.length === 4 ? inputShape.slice(1) : inputShape;
  const show = `[${dims.map((d) => (positive(d) ? d : 'null')).join(', ')}]`;
  if (dims.length !== 3)
    throw new MorphnetError(`the model takes input of shape ${show}, not images (H, W, C).`);
  const [h, w, c] = dims;
  if (c !== 1 && c !== 3) {
    throw new MorphnetError(
      `the model's input ${show} has ${c ?? 'unknown'} channels; image folders give 1 (gray) or 3 (RGB).`,
    );
  }
  const size = options.imageSize;
  if (size !== undefined && !(size.length === 2 && positive(size[0]) && positive(size[1]))) {
    throw new MorphnetError(
      `imageSize must be two positive whole numbers [H, W], got [${[...size].join(', ')}].`,
    );
  }
  if (!positive(h) || !positive(w)) {
    if (!size)
      throw new MorphnetError(
        `the model's input ${show} leaves the image size unknown: give imageSize [H, W].`,
      );
  }
  const height = positive(h) ? h : size![0];
  const width = positive(w) ? w : size![1];
  if (size && (size[0] !== height || size[1] !== width)) {
    throw new MorphnetError(`imageSize [${size.join(', ')}] disagrees with the model's input ${show}.`);
  }
  return [height, width, c];
}

/** The flat targets of `labels`: one-hot over `classes`, or for `binary` the label itself (0 or 1). */
export function labelTargets(labels: ArrayLike<number>, classes: number, mode: LabelMode): Float32Array {
  if (mode === 'categorical') return oneHot(labels, classes);
  if (classes !== 2)
    throw new MorphnetError(`labelMode binary needs exactly 2 classes, the data has ${classes}.`);
  return Float32Array.from(labels);
}
