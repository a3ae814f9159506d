/**
 * An image folder decoded whole into memory as a `Dataset` (the shape every loader returns): for
 * folders that fit in memory, and for code that takes in-memory splits. Larger folders stream
 * (`imageFolderSources`). Decoding runs on the same worker pool.
 */
import { basename, relative, resolve } from 'node:path';
import { MorphnetError } from '../errors.js';
import { DecodePool } from './decode-pool.js';
import { scanImageFolder, type ImageFiles, type ScanOptions } from './image-folder.js';
import { inputShapeFor, type ImageInputOptions } from './image-input.js';
import type { Dataset, ImageShape, Split } from './types.js';

/** Options of `loadImageFolder`. */
export interface LoadImageFolderOptions extends ScanOptions, ImageInputOptions {
  /** Decode worker threads (default: half the cores, at least 1); 0 decodes in this thread. */
  workers?: number;
}

/** Files decoded per job. */
const CHUNK = 64;

async function decodeSplit(
  files: ImageFiles,
  shape: ImageShape,
  classes: number,
  pool: DecodePool,
  root: string,
  notice: (line: string) => void,
): Promise<Split> {
  const pixels = shape[0] * shape[1] * shape[2];
  const jobs = [];
  for (let start = 0; start < files.files.length; start += CHUNK) {
    const chunk = files.files.slice(start, start + CHUNK);
    jobs.push(
      pool
        .run({ id: start, files: chunk, shape, augment: [], seeds: [] })
        .then((result) => ({ start, result })),
    );
  }
  const results = await Promise.all(jobs);
  const count = results.reduce((n, r) => n + r.result.kept.length, 0);
  const images = new Float32Array(count * pixels);
  const labels = new Uint8Array(count);
  let k = 0;
  for (const { start, result } of results) {
    for (const failure of result.failures) {
      const path = failure.slice(0, failure.indexOf(': '));
      notice(`morphnet: skipping ${relative(root, path)}${failure.slice(path.length)}.`);
    }
    images.set(result.xs, k * pixels);
    for (const i of result.kept) labels[k++] = files.labels[start + i];
  }
  return { images, labels, count, imageShape: [...shape], classes };
}

/** Throws when a class has no image left after decoding. */
function checkEveryClass(split: Split, classNames: string[], where: string): void {
  const seen = new Set(split.labels);
  const missing = classNames.findIndex((_, c) => !seen.has(c));
  if (missing >= 0) {
    throw new MorphnetError(
      `the class folder ${where}${classNames[missing]} holds no readable PNG or JPEG image.`,
    );
  }
}

/**
 * Loads an image folder into memory, converted to a model whose input is `inputShape` (`[H, W, C]` or
 * `[batch, H, W, C]`; unknown sizes need `imageSize`). Unreadable files are skipped with one notice each.
 */
export async function loadImageFolder(
  dir: string,
  inputShape: readonly (number | null | undefined)[],
  options: LoadImageFolderOptions = {},
): Promise<Dataset> {
  const shape = inputShapeFor(inputShape, options);
  const folder = await scanImageFolder(dir, options);
  const classes = folder.classNames.length;
  if (classes > 256) {
    throw new MorphnetError(
      `${dir} has ${classes} classes; in-memory splits hold at most 256: stream it with imageFolderSources.`,
    );
  }
  const notice = options.onNotice ?? ((line: string) => console.warn(line));
  const pool = new DecodePool(options.workers);
  try {
    const train = await decodeSplit(folder.train, shape, classes, pool, dir, notice);
    const test = await decodeSplit(folder.test, shape, classes, pool, dir, notice);
    const split = folder.layout === 'split';
    checkEveryClass(train, folder.classNames, split ? 'train/' : '');
    if (split) checkEveryClass(test, folder.classNames, 'test/');
    return {
      name: basename(resolve(dir)),
      imageShape: shape,
      classes,
      classNames: folder.classNames,
      train,
      test,
    };
  } finally {
    await pool.close();
  }
}
