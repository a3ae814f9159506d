/**
 * Batch sources: one interface for every way data reaches training. Per epoch, a source yields its
 * batches in that epoch's seeded order as typed arrays (`SourceBatch`); `epoch(e, { from: k })` starts at
 * batch k without producing the first k, so a resumed training sees the same data as an uninterrupted one.
 * Sources here: an in-memory split (`splitSource`), an image folder streamed from disk
 * (`imageFolderSources`), and a tf.data.Dataset or async iterable of `{ xs, ys }` (`iterableSource`).
 */
import { augmentImage, augmentSeed, checkAugment, type Augmentation } from './augment.js';
import { batchCount, batches } from './batches.js';
import type { ImageShape, Split } from './types.js';

/** One batch: `size` examples, inputs `xs` (flat, in `xsShape`, NHWC for images) and targets `ys`. */
export interface SourceBatch {
  xs: Float32Array;
  /** One-hot classes (or 0/1 per unit for binary targets, or regression values), flat, in `ysShape`. */
  ys: Float32Array;
  /** Class of each example, where the targets are classes. */
  labels?: Uint8Array | Uint16Array;
  size: number;
  /** `[size, ...input shape]`, e.g. `[size, H, W, C]`. */
  xsShape: number[];
  /** `[size, ...target shape]`, e.g. `[size, classes]`. */
  ysShape: number[];
}

/** Options of `BatchSource.epoch`. */
export interface EpochOptions {
  /** The first batch to yield (default 0): resumes an epoch at batch k. */
  from?: number;
}

/** Where a training's batches come from: one async pass per epoch, in that epoch's order. */
export interface BatchSource {
  /** Examples per epoch; undefined when the source cannot know (an async iterable). */
  readonly count: number | undefined;
  /** Batches per epoch; undefined when unknown. */
  readonly batchesPerEpoch: number | undefined;
  /** The batches of `epoch`, from batch `options.from`. */
  epoch(epoch: number, options?: EpochOptions): AsyncIterable<SourceBatch>;
  /** Releases what the source holds (worker threads); the source cannot be used afterwards. */
  close(): Promise<void>;
}

/** Options of the sources over splits and image folders. */
export interface SourceOptions {
  batchSize: number;
  /** Seed of the order (epoch e uses seed + e) and of the augmentation (default 0). */
  seed?: number;
  /** Visit the examples in a seeded random order each epoch (default true); false keeps their order. */
  shuffle?: boolean;
  /** Skip the last, smaller batch of each epoch (default false). */
  dropRemainder?: boolean;
  /** Image augmentations for training batches (default none): `flip`, `crop`. */
  augment?: readonly string[];
}

/** Checks a batch size. */
export function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`The batch size must be a positive integer, got ${batchSize}.`);
  }
}

/** Applies `augment` to every image of a batch at its place in the epoch (batch `index` of `batchSize`). */
export function augmentBatch(
  xs: Float32Array,
  size: number,
  shape: ImageShape,
  augment: readonly Augmentation[],
  seeds: { seed: number; epoch: number; first: number },
): void {
  const pixels = shape[0] * shape[1] * shape[2];
  for (let i = 0; i < size; i++) {
    augmentImage(xs, i * pixels, shape, augment, augmentSeed(seeds.seed, seeds.epoch, seeds.first + i));
  }
}

/**
 * An in-memory split as a batch source: the batches of `batches(split, batchSize, seed + epoch)` (the
 * trainer's order), augmented when asked.
 */
export function splitSource(split: Split, options: SourceOptions): BatchSource {
  checkBatchSize(options.batchSize);
  const augment = checkAugment(options.augment);
  const seed = options.seed ?? 0;
  const perEpoch = batchCount(split, options.batchSize, options.dropRemainder);
  const shape = split.imageShape;
  return {
    count: options.dropRemainder ? perEpoch * options.batchSize : split.count,
    batchesPerEpoch: perEpoch,
    async *epoch(epoch: number, { from = 0 }: EpochOptions = {}) {
      let index = 0;
      const order = { shuffle: options.shuffle, dropRemainder: options.dropRemainder };
      for (const b of batches(split, options.batchSize, seed + epoch, order)) {
        if (index++ < from) continue;
        const first = (index - 1) * options.batchSize;
        augmentBatch(b.xs, b.size, shape, augment, { seed, epoch, first });
        yield { ...b, xsShape: [b.size, ...shape], ysShape: [b.size, split.classes] };
      }
    },
    close: () => Promise.resolve(),
  };
}
