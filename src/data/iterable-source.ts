/**
 * Library data input: a `tf.data.Dataset` of `{ xs, ys }` batches (the convention of `model.fitDataset`)
 * or any async iterable of such batches, as a batch source. Each epoch iterates the input again; its
 * order and shuffling are the input's own. A Dataset's tensors are disposed once read (as `fitDataset`
 * does: a Dataset makes new tensors on every pass); an async iterable's tensors belong to the caller.
 * Tensors are recognised by shape (`shape`, `data()`), not by class, so any tf.js import works.
 */
import { MorphnetError } from '../errors.js';
import type { BatchSource, EpochOptions, SourceBatch } from './batch-source.js';

/** A tensor as far as this module reads it (tf.Tensor satisfies it). */
export interface TensorLike {
  readonly shape: number[];
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/** One `{ xs, ys }` batch: inputs `[N, …]` and targets `[N, …]`. */
export type TensorBatch = {
  xs: TensorLike;
  ys: TensorLike;
};

/** The parts of a `tf.data.Dataset` this module uses. */
export interface DatasetLike<T> {
  iterator(): Promise<{ next(): Promise<IteratorResult<T>> }>;
}

/** Input accepted as batches: a tf.data.Dataset or an async iterable of `{ xs, ys }`. */
export type BatchInput = DatasetLike<TensorBatch> | AsyncIterable<TensorBatch>;

/** Whether `value` is a tf.data.Dataset (duck-typed: it has `iterator()` and no async iterator). */
export function isDatasetLike(value: unknown): value is DatasetLike<TensorBatch> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DatasetLike<TensorBatch>).iterator === 'function' &&
    !(Symbol.asyncIterator in value)
  );
}

/** Whether `value` can be read as batches by `iterableSource`. */
export function isBatchInput(value: unknown): value is BatchInput {
  return (
    isDatasetLike(value) || (typeof value === 'object' && value !== null && Symbol.asyncIterator in value)
  );
}

const isTensor = (t: unknown): t is TensorLike =>
  typeof t === 'object' &&
  t !== null &&
  Array.isArray((t as TensorLike).shape) &&
  typeof (t as TensorLike).data === 'function';

async function* elements(input: BatchInput): AsyncGenerator<TensorBatch> {
  if (!isDatasetLike(input)) {
    yield* input;
    return;
  }
  const it = await input.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}

async function toFloat32(t: TensorLike): Promise<Float32Array> {
  const data = await t.data();
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

/** Reads one element as a batch; throws a `MorphnetError` when it is not `{ xs, ys }` of tensors. */
async function readBatch(element: unknown, name: string, index: number): Promise<SourceBatch> {
  const { xs, ys } = (element ?? {}) as Partial<TensorBatch>;
  if (!isTensor(xs) || !isTensor(ys)) {
    const keys =
      typeof element === 'object' && element !== null ? Object.keys(element).join(', ') : typeof element;
    throw new MorphnetError(
      `${name}: batch ${index} is not { xs, ys } tensors (model.fitDataset's convention); it has ${keys || 'no keys'}.`,
    );
  }
  if (xs.shape.length < 2 || ys.shape.length < 2 || xs.shape[0] !== ys.shape[0]) {
    throw new MorphnetError(
      `${name}: batch ${index} has xs [${xs.shape.join(', ')}] and ys [${ys.shape.join(', ')}]; both need the batch size first.`,
    );
  }
  const [x, y] = await Promise.all([toFloat32(xs), toFloat32(ys)]);
  return { xs: x, ys: y, size: xs.shape[0], xsShape: [...xs.shape], ysShape: [...ys.shape] };
}

/**
 * A batch source over a tf.data.Dataset or an async iterable of `{ xs, ys }` batches. `name` labels
 * errors (e.g. `data.train`). `epoch(e, { from: k })` reads and drops the first k batches.
 */
export function iterableSource(input: BatchInput, name = 'the data'): BatchSource {
  if (!isBatchInput(input)) {
    throw new MorphnetError(
      `${name} is neither a tf.data.Dataset nor an async iterable of { xs, ys } batches.`,
    );
  }
  const ownsTensors = isDatasetLike(input);
  let firstPass: number | undefined;
  return {
    count: undefined,
    batchesPerEpoch: undefined,
    async *epoch(epoch: number, { from = 0 }: EpochOptions = {}) {
      let index = 0;
      for await (const element of elements(input)) {
        try {
          if (index >= from) yield await readBatch(element, name, index);
        } finally {
          if (ownsTensors) {
            const e = element as Partial<TensorBatch> | undefined;
            if (isTensor(e?.xs)) e.xs.dispose();
            if (isTensor(e?.ys)) e.ys.dispose();
          }
        }
        index++;
      }
      if (index === 0 && firstPass === undefined) throw new MorphnetError(`${name} gave no batches.`);
      if (index === 0) {
        throw new MorphnetError(
          `${name} gave no batches in epoch ${epoch}: pass an iterable that starts over on each iteration (a tf.data.Dataset does).`,
        );
      }
      firstPass ??= index;
    },
    close: () => Promise.resolve(),
  };
}
