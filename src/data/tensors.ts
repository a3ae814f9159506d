/** Conversion of batches to tf.js tensors (the engines take NHWC float32 images and one-hot labels). */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batches.js';
import type { SourceBatch } from './batch-source.js';
import type { ImageShape } from './types.js';

/** The batch as tensors: `xs` [size, H, W, C] and one-hot `ys` [size, classes]. The caller disposes them. */
export function toTensors(
  batch: Pick<Batch, 'xs' | 'ys' | 'size'>,
  imageShape: ImageShape,
  classes: number,
): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const [h, w, c] = imageShape;
  if (batch.xs.length !== batch.size * h * w * c) {
    throw new Error(`The batch holds ${batch.xs.length} pixel values, not ${batch.size}×${h}×${w}×${c}.`);
  }
  if (batch.ys.length !== batch.size * classes) {
    throw new Error(`The batch holds ${batch.ys.length} label values, not ${batch.size}×${classes}.`);
  }
  return {
    xs: tf.tensor4d(batch.xs, [batch.size, h, w, c]),
    ys: tf.tensor2d(batch.ys, [batch.size, classes]),
  };
}

/** A batch source's batch as tensors in its own shapes (`xsShape`, `ysShape`). The caller disposes them. */
export function sourceBatchTensors(batch: SourceBatch): { xs: tf.Tensor; ys: tf.Tensor } {
  return { xs: tf.tensor(batch.xs, batch.xsShape), ys: tf.tensor(batch.ys, batch.ysShape) };
}
