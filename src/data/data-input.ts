/**
 * Every form of training data as one batch source: an in-memory split, a batch source already built
 * (e.g. a streamed image folder), or a tf.data.Dataset / async iterable of `{ xs, ys }` batches.
 */
import { splitSource, type BatchSource, type SourceOptions } from './batch-source.js';
import { iterableSource, type BatchInput } from './iterable-source.js';
import type { Split } from './types.js';

/** Data in any form `toBatchSource` accepts. */
export type DataInput = Split | BatchSource | BatchInput;

/** Whether `value` is an in-memory split. */
export function isSplit(value: unknown): value is Split {
  const s = value as Partial<Split>;
  return (
    typeof value === 'object' &&
    value !== null &&
    s.images instanceof Float32Array &&
    Array.isArray(s.imageShape)
  );
}

/** Whether `value` is a batch source. */
export function isBatchSource(value: unknown): value is BatchSource {
  const s = value as Partial<BatchSource>;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof s.epoch === 'function' &&
    typeof s.close === 'function'
  );
}

/**
 * The batch source of `input`: a split is batched by `splitSource(input, options)`; a batch source is
 * returned as it is; a Dataset or async iterable is read by `iterableSource` (its own batching, order and
 * augmentation: `options` do not apply). `name` labels errors.
 */
export function toBatchSource(input: DataInput, options: SourceOptions, name = 'the data'): BatchSource {
  if (isSplit(input)) return splitSource(input, options);
  if (isBatchSource(input)) return input;
  return iterableSource(input, name);
}
