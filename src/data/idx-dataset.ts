/**
 * Data sets stored as IDX files named as MNIST's (`train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]`,
 * `t10k-images-idx3-ubyte[.gz]`, `t10k-labels-idx1-ubyte[.gz]`) in one folder.
 */
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readIdx, type IdxArray } from './idx.js';
import type { Dataset, ImageShape, LoadOptions, Split } from './types.js';

/** The four base file names of an MNIST-style folder (each may also end in `.gz`). */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The path of `base` or `base.gz` in `dir` (raw preferred), or undefined when neither exists. */
export async function findIdxFile(dir: string, base: string): Promise<string | undefined> {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (await exists(path)) return path;
  }
  return undefined;
}

/** True when `dir` holds the four MNIST-named IDX files (raw or gzipped). */
export async function hasIdxFiles(dir: string): Promise<boolean> {
  for (const base of Object.values(IDX_FILES)) if ((await findIdxFile(dir, base)) === undefined) return false;
  return true;
}

function imageShapeOf(images: IdxArray, file: string): ImageShape {
  if (images.type !== 'uint8') {
    throw new Error(`${file} holds ${images.type} values; image files must hold unsigned bytes (type 0x08).`);
  }
  const [, h, w, c = 1] = images.shape;
  if (images.shape.length !== 3 && images.shape.length !== 4) {
    throw new Error(
      `${file} has shape ${images.shape.join('×')}; expected N×H×W (grey) or N×H×W×C (channels last).`,
    );
  }
  return [h, w, c];
}

function toSplit(
  images: IdxArray,
  labels: IdxArray,
  files: { images: string; labels: string },
  classes: number,
): Split {
  const imageShape = imageShapeOf(images, files.images);
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new Error(`${files.labels} must hold one unsigned byte per image (shape N, type 0x08).`);
  }
  if (labels.fileCount !== images.fileCount) {
    throw new Error(
      `${files.labels} holds ${labels.fileCount} labels but ${files.images} holds ${images.fileCount} images.`,
    );
  }
  const count = images.shape[0];
  const pixels = imageShape[0] * imageShape[1] * imageShape[2];
  const bytes = images.data as Uint8Array;
  const out = new Float32Array(count * pixels);
  for (let i = 0; i < out.length; i++) out[i] = bytes[i] / 255;
  return { images: out, labels: (labels.data as Uint8Array).slice(0, count), count, imageShape, classes };
}

function maxLabel(labels: IdxArray): number {
  let max = 0;
  for (const v of labels.data) if (v > max) max = v;
  return max;
}

/**
 * Reads one split's images and labels, only the first `limit` entries of each (so a gzip is inflated
 * no further than those need); the labels past the limit are scanned for the class count, not kept.
 */
async function readSplit(
  files: { images: string; labels: string },
  limit: number | undefined,
): Promise<{ images: IdxArray; labels: IdxArray; maxLabel: number }> {
  let restMax = 0;
  const [images, labels] = await Promise.all([
    readIdx(files.images, { limit }),
    readIdx(files.labels, {
      limit,
      onRest: (bytes) => {
        for (const v of bytes) if (v > restMax) restMax = v;
      },
    }),
  ]);
  return { images, labels, maxLabel: Math.max(maxLabel(labels), restMax) };
}

/**
 * Loads an MNIST-named folder of IDX files as a data set called `name`. The class count is the largest
 * label + 1 (at least 2). Errors name the folder and the missing or bad file.
 */
export async function loadIdxFolder(
  dir: string,
  name: string,
  options: LoadOptions = {},
  classNames?: string[],
): Promise<Dataset> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`${dir} is not a folder.`);
  const paths: Record<keyof typeof IDX_FILES, string> = {
    trainImages: '',
    trainLabels: '',
    testImages: '',
    testLabels: '',
  };
  for (const [key, base] of Object.entries(IDX_FILES) as [keyof typeof IDX_FILES, string][]) {
    const path = await findIdxFile(dir, base);
    if (path === undefined) {
      throw new Error(
        `${dir} has no ${base} (or ${base}.gz); an IDX folder needs ${Object.values(IDX_FILES).join(', ')}.`,
      );
    }
    paths[key] = path;
  }
  const trainFiles = { images: paths.trainImages, labels: paths.trainLabels };
  const testFiles = { images: paths.testImages, labels: paths.testLabels };
  const [trainRead, testRead] = await Promise.all([
    readSplit(trainFiles, options.limit),
    readSplit(testFiles, options.testLimit),
  ]);
  const classes = Math.max(2, classNames?.length ?? 0, trainRead.maxLabel + 1, testRead.maxLabel + 1);
  const train = toSplit(trainRead.images, trainRead.labels, trainFiles, classes);
  const test = toSplit(testRead.images, testRead.labels, testFiles, classes);
  const [a, b] = [train.imageShape, test.imageShape];
  if (a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]) {
    throw new Error(
      `${paths.testImages} holds ${b.join('×')} images but ${paths.trainImages} holds ${a.join('×')} images.`,
    );
  }
  return { name, imageShape: train.imageShape, classes, ...(classNames ? { classNames } : {}), train, test };
}
