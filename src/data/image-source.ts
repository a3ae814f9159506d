/**
 * Image folders streamed from disk: each epoch's batches are decoded on the fly by a pool of worker
 * threads, at most `prefetch` batches ahead of the one the consumer holds, so memory stays bounded
 * whatever the folder's size and decoding overlaps training. Order, augmentation and labels are those of
 * the same images held in memory (`splitSource` over `loadImageFolder`'s splits).
 */
import { relative } from 'node:path';
import { MorphnetError } from '../errors.js';
import { augmentSeed, checkAugment } from './augment.js';
import {
  checkBatchSize,
  type BatchSource,
  type EpochOptions,
  type SourceBatch,
  type SourceOptions,
} from './batch-source.js';
import type { DecodeResult } from './decode-batch.js';
import { DecodePool } from './decode-pool.js';
import { scanImageFolder, type ImageFiles, type ImageFolder, type ScanOptions } from './image-folder.js';
import { inputShapeFor, labelTargets, type ImageInputOptions, type LabelMode } from './image-input.js';
import { permutation } from './random.js';
import type { ImageShape } from './types.js';

/** Options of a streamed image source. */
export interface ImageSourceOptions extends SourceOptions {
  /** The model's input, H × W × C (C 1 or 3). */
  shape: ImageShape;
  /** Number of classes (the folder's). */
  classes: number;
  /** Targets: `categorical` (one-hot, default) or `binary` (one 0/1 unit; two classes). */
  labelMode?: LabelMode;
  /** Batches decoded ahead of the one the consumer holds (default 4). */
  prefetch?: number;
  /** Receives one line per file that cannot be decoded (once per file); default `console.warn`. */
  onNotice?: (line: string) => void;
  /** Reports each decoding job as it starts and as its batch is handed out (monitoring, tests). */
  onJob?: (event: 'start' | 'deliver', batch: number) => void;
  /** Root the notices' paths are relative to. */
  root?: string;
}

/** The batches of a list of image files, decoded on `pool`. */
export function imageSource(files: ImageFiles, pool: DecodePool, options: ImageSourceOptions): BatchSource {
  checkBatchSize(options.batchSize);
  const augment = checkAugment(options.augment);
  const prefetch = options.prefetch ?? 4;
  if (!Number.isInteger(prefetch) || prefetch < 1) {
    throw new MorphnetError(`prefetch must be a positive whole number, got ${prefetch}.`);
  }
  const count = files.files.length;
  const { batchSize } = options;
  const perEpoch = options.dropRemainder ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  const seed = options.seed ?? 0;
  const notice = options.onNotice ?? ((line: string) => console.warn(line));
  const warned = new Set<string>();
  let nextId = 0;

  const report = (result: DecodeResult) => {
    for (const failure of [...result.failures].sort()) {
      const path = failure.slice(0, failure.indexOf(': '));
      if (warned.has(path)) continue;
      warned.add(path);
      const shown = options.root ? relative(options.root, path) : path;
      notice(`morphnet: skipping ${shown}${failure.slice(path.length)}.`);
    }
  };

  const load = async (epoch: number, index: number, order: Uint32Array | null): Promise<SourceBatch> => {
    const first = index * batchSize;
    const members = Array.from({ length: Math.min(batchSize, count - first) }, (_, i) =>
      order ? order[first + i] : first + i,
    );
    options.onJob?.('start', index);
    const result = await pool.run({
      id: nextId++,
      files: members.map((j) => files.files[j]),
      shape: options.shape,
      augment,
      seeds: members.map((_, i) => (augment.length ? augmentSeed(seed, epoch, first + i) : 0)),
    });
    report(result);
    const labels = Uint16Array.from(result.kept, (i) => files.labels[members[i]]);
    return batchOf(result.xs, labels, options.shape, options.classes, options.labelMode ?? 'categorical');
  };

  return {
    count: options.dropRemainder ? perEpoch * batchSize : count,
    batchesPerEpoch: perEpoch,
    async *epoch(epoch: number, { from = 0 }: EpochOptions = {}) {
      const order = options.shuffle === false ? null : permutation(count, seed + epoch);
      const pending: Promise<SourceBatch>[] = [];
      let next = from;
      const fill = () => {
        while (pending.length < prefetch && next < perEpoch) pending.push(load(epoch, next++, order));
      };
      try {
        fill();
        for (let index = from; pending.length > 0; index++) {
          const batch = await pending.shift()!;
          options.onJob?.('deliver', index);
          fill();
          yield batch;
        }
      } finally {
        // A consumer that stops early leaves jobs running: let them finish unobserved.
        for (const p of pending) p.catch(() => {});
      }
    },
    close: () => pool.close(),
  };
}

function batchOf(
  xs: Float32Array,
  labels: Uint16Array,
  shape: ImageShape,
  classes: number,
  mode: LabelMode,
): SourceBatch {
  const size = labels.length;
  const ys = labelTargets(labels, classes, mode);
  const small = classes <= 256 ? Uint8Array.from(labels) : labels;
  const width = mode === 'binary' ? 1 : classes;
  return { xs, ys, labels: small, size, xsShape: [size, ...shape], ysShape: [size, width] };
}

/** Options of `imageFolderSources`. */
export interface ImageFolderSourceOptions
  extends
    ScanOptions,
    ImageInputOptions,
    Omit<ImageSourceOptions, 'shape' | 'classes' | 'root' | 'onNotice'> {
  /** Decode worker threads (default: half the cores, at least 1); 0 decodes in this thread. */
  workers?: number;
}

/** The streamed train and test sources of an image folder (one decode pool shared by both). */
export interface ImageFolderSources {
  folder: ImageFolder;
  /** The model input the images are converted to. */
  shape: ImageShape;
  /** Shuffled each epoch (unless `shuffle: false`), augmented when asked. */
  train: BatchSource;
  /** In file order, never augmented. */
  test: BatchSource;
  /** Stops the decode workers (also done once both `train.close()` and `test.close()` were called). */
  close(): Promise<void>;
}

/**
 * Scans an image folder and streams it: `inputShape` is the model's input (`[H, W, C]` or with a leading
 * batch dimension; unknown sizes need `imageSize`). The folder is checked before any worker starts.
 */
export async function imageFolderSources(
  dir: string,
  inputShape: readonly (number | null | undefined)[],
  options: ImageFolderSourceOptions,
): Promise<ImageFolderSources> {
  const shape = inputShapeFor(inputShape, options);
  const folder = await scanImageFolder(dir, options);
  const pool = new DecodePool(options.workers);
  const common = {
    ...options,
    shape,
    classes: folder.classNames.length,
    root: dir,
  };
  // The two sources share the pool: it stops when both are closed, or at `close()`.
  let open = 2;
  const release = () => (--open === 0 ? pool.close() : Promise.resolve());
  const train = { ...imageSource(folder.train, pool, common), close: release };
  const testOptions = { ...common, shuffle: false, augment: [], dropRemainder: false };
  const test = { ...imageSource(folder.test, pool, testOptions), close: release };
  return { folder, shape, train, test, close: () => pool.close() };
}
