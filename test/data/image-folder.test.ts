/**
 * Image folders (Keras' `image_dataset_from_directory` layout). References from outside the code:
 * `tf.image.resizeBilinear(x, size, alignCorners = false, halfPixelCenters = true)` on tf.js's cpu backend
 * for the resize; BT.601 luma (0.299, 0.587, 0.114) for RGB → gray; the pixel values the test itself
 * wrote into hand-built PNG files (gray, gray + alpha, RGB, RGBA) and mozjpeg JPEGs; MNIST's labels.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  convertChannels,
  decodeImage,
  inputShapeFor,
  labelTargets,
  loadImageFolder,
  resizeBilinear,
  scanImageFolder,
} from '../../src/data/index.js';
import { MorphnetError } from '../../src/errors.js';
import { jpegBytes, pngBytes, writeDigitFolder, type WrittenDigit } from './images.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'morphnet-images-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function folder(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A seeded byte pattern. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
}

/** tf.js's half-pixel-centre bilinear resize of uint8 HWC pixels, / 255. */
function tfResize(pixels: Uint8Array, h: number, w: number, c: number, oh: number, ow: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(pixels), [1, h, w, c]);
    return tf.div(tf.image.resizeBilinear(x, [oh, ow], false, true), 255).dataSync() as Float32Array;
  });
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('resize', () => {
  it.each([
    [36, 36, 28, 28, 1],
    [28, 28, 36, 36, 3],
    [17, 23, 96, 96, 3],
    [96, 64, 32, 48, 1],
    [5, 7, 5, 7, 3],
    [1, 1, 4, 4, 1],
  ])('%i×%i → %i×%i × %i channels equals tf.image.resizeBilinear (half-pixel centres)', (h, w, oh, ow, c) => {
    const pixels = bytes(h * w * c, h * 31 + w);
    const out = new Float32Array(oh * ow * c);
    resizeBilinear(Float32Array.from(pixels), h, w, c, oh, ow, out, 0, 1 / 255);
    const d = maxDiff(out, tfResize(pixels, h, w, c, oh, ow));
    expect(d).toBeLessThan(1 / 255);
    expect(d).toBeLessThan(1e-6);
  });
});

describe('decoding and channels', () => {
  const w = 5;
  const h = 4;
  const rgba = bytes(w * h * 4, 3);
  const pick = (channels: number[]) =>
    Uint8Array.from(
      { length: w * h * channels.length },
      (_, i) => rgba[Math.floor(i / channels.length) * 4 + channels[i % channels.length]],
    );

  it.each([
    ['gray', 0, [0]],
    ['gray + alpha', 4, [0, 3]],
    ['RGB', 2, [0, 1, 2]],
    ['RGBA', 6, [0, 1, 2, 3]],
  ] as const)('a %s PNG decodes to its exact pixels', async (_name, color, channels) => {
    const image = await decodeImage(pngBytes(pick([...channels]), w, h, color));
    expect([image.width, image.height]).toEqual([w, h]);
    for (let i = 0; i < w * h; i++) {
      const [r, g, b, a] = Array.from(image.rgba.subarray(i * 4, i * 4 + 4));
      const src = rgba.subarray(i * 4, i * 4 + 4);
      if (channels.length <= 2) expect([r, g, b]).toEqual([src[0], src[0], src[0]]);
      else expect([r, g, b]).toEqual([src[0], src[1], src[2]]);
      expect(a).toBe((channels as readonly number[]).includes(3) ? src[3] : 255);
    }
  });

  it('RGB → gray is BT.601 luma; gray → RGB copies; alpha is dropped, not composited', async () => {
    const image = await decodeImage(pngBytes(rgba, w, h, 6));
    const gray = convertChannels(image, 1);
    const rgb = convertChannels(image, 3);
    for (let i = 0; i < w * h; i++) {
      const [r, g, b] = rgba.subarray(i * 4, i * 4 + 3);
      expect(gray[i]).toBeCloseTo(0.299 * r + 0.587 * g + 0.114 * b, 3);
      expect(Array.from(rgb.subarray(i * 3, i * 3 + 3))).toEqual([r, g, b]);
    }
    const grayImage = await decodeImage(pngBytes(pick([0]), w, h, 0));
    const spread = convertChannels(grayImage, 3);
    for (let i = 0; i < w * h; i++)
      expect(Array.from(spread.subarray(i * 3, i * 3 + 3))).toEqual([rgba[i * 4], rgba[i * 4], rgba[i * 4]]);
    const back = convertChannels(grayImage, 1);
    for (let i = 0; i < w * h; i++) expect(back[i]).toBeCloseTo(rgba[i * 4], 3);
  });

  it('a gray JPEG and an RGB JPEG decode close to their pixels (lossy, quality 95)', async () => {
    // A smooth image: JPEG keeps it within a few levels.
    const n = 16;
    const rgb = Uint8Array.from(
      { length: n * n * 3 },
      (_, i) => 40 + ((Math.floor(i / 3) % n) * 8 + (i % 3) * 20),
    );
    const color = await decodeImage(await jpegBytes(rgb, n, n, { quality: 95 }));
    expect(maxDiff(convertChannels(color, 3), rgb)).toBeLessThan(12);
    const g = rgb.filter((_, i) => i % 3 === 0);
    const gray = await decodeImage(await jpegBytes(g, n, n, { quality: 95, gray: true }));
    const grayRgb = convertChannels(gray, 3);
    for (let i = 0; i < n * n; i++) expect(grayRgb[i * 3]).toBe(grayRgb[i * 3 + 1]);
    expect(maxDiff(convertChannels(gray, 1), g)).toBeLessThan(8);
  });

  it('refuses a text file, a truncated PNG and a truncated JPEG with a reason', async () => {
    const png = pngBytes(pick([0, 1, 2]), w, h, 2);
    const jpg = await jpegBytes(pick([0, 1, 2]), w, h);
    await expect(decodeImage(Buffer.from('hello\n'))).rejects.toThrow(/not a PNG or JPEG/);
    await expect(decodeImage(png.subarray(0, 40))).rejects.toThrow(/unreadable PNG/);
    await expect(decodeImage(jpg.subarray(0, 30))).rejects.toThrow(/unreadable JPEG/);
    // The codecs still work after refusing.
    expect((await decodeImage(png)).width).toBe(w);
  });
});

describe('image folders', () => {
  let digits: WrittenDigit[];
  let flat: string;
  beforeAll(async () => {
    flat = await folder('digits');
    digits = await writeDigitFolder(flat, 10);
    await writeFile(join(flat, 'README.txt'), 'top-level files are ignored\n');
    await writeFile(join(flat, '3', '.DS_Store'), 'hidden');
  });

  it('an MNIST folder at 36×36 RGB loads at the model input 28×28×1 with the right labels and pixels', async () => {
    const notices: string[] = [];
    const data = await loadImageFolder(flat, [null, 28, 28, 1], {
      testFraction: 0.2,
      seed: 4,
      workers: 1,
      onNotice: (l) => notices.push(l),
    });
    expect(notices).toEqual([]);
    expect(data.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(data.imageShape).toEqual([28, 28, 1]);
    expect([data.train.count, data.test.count]).toEqual([80, 20]);
    expect(data.train.images.length).toBe(80 * 28 * 28);
    // Two of each class held out; every image once.
    for (let c = 0; c < 10; c++) expect(data.test.labels.filter((l) => l === c).length).toBe(2);
    // Match each loaded image to the file it came from by its pixels: the resize of what was written.
    const reference = digits.map((d) => ({
      d,
      px: tfResize(
        d.pixels.filter((_, i) => i % 3 === 0),
        36,
        36,
        1,
        28,
        28,
      ),
    }));
    for (const split of [data.train, data.test]) {
      for (let i = 0; i < split.count; i++) {
        const img = split.images.subarray(i * 784, (i + 1) * 784);
        const best = reference.reduce((a, r) => (maxDiff(img, r.px) < maxDiff(img, a.px) ? r : a));
        expect(best.d.label).toBe(split.labels[i]);
        expect(maxDiff(img, best.px)).toBeLessThan(best.d.format === 'png' ? 1e-5 : 0.25);
      }
    }
  });

  it('the hold-out is seeded: same seed, same test files; another seed, others', async () => {
    const a = await scanImageFolder(flat, { testFraction: 0.2, seed: 4 });
    const b = await scanImageFolder(flat, { testFraction: 0.2, seed: 4 });
    const c = await scanImageFolder(flat, { testFraction: 0.2, seed: 5 });
    expect(b.test.files).toEqual(a.test.files);
    expect(c.test.files).not.toEqual(a.test.files);
    expect(a.train.files.length + a.test.files.length).toBe(100);
    expect(new Set([...a.train.files, ...a.test.files]).size).toBe(100);
  });

  it('train/ and test/ folders give the splits as written, RGB models get R = G = B', async () => {
    const dir = await folder('split');
    await writeDigitFolder(dir, 6, { split: true, testPerClass: 2 });
    const data = await loadImageFolder(dir, [36, 36, 3], { workers: 0 });
    expect([data.train.count, data.test.count]).toEqual([40, 20]);
    expect(Array.from(data.test.labels)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
    ]);
    const px = data.train.images;
    for (let i = 0; i < 36 * 36 * 40; i += 97) expect(px[i * 3]).toBe(px[i * 3 + 1]);
  });

  it('a corrupt PNG, a corrupt JPEG and a text file are skipped with one warning each', async () => {
    const dir = await folder('broken');
    await writeDigitFolder(dir, 3);
    const good = pngBytes(new Uint8Array(36 * 36 * 3).fill(9), 36, 36, 2);
    await writeFile(join(dir, '1', 'cut.png'), good.subarray(0, 60));
    await writeFile(
      join(dir, '2', 'cut.jpg'),
      (await jpegBytes(new Uint8Array(36 * 36 * 3).fill(9), 36, 36)).subarray(0, 100),
    );
    await writeFile(join(dir, '5', 'notes.txt'), 'not an image\n');
    const notices: string[] = [];
    const data = await loadImageFolder(dir, [28, 28, 1], {
      testFraction: 0.34,
      onNotice: (l) => notices.push(l),
    });
    expect(data.train.count + data.test.count).toBe(30);
    expect(notices).toHaveLength(3);
    expect(notices.find((l) => l.includes(join('1', 'cut.png')))).toMatch(
      /^morphnet: skipping 1\/cut\.png: unreadable PNG/,
    );
    expect(notices.find((l) => l.includes(join('2', 'cut.jpg')))).toMatch(
      /^morphnet: skipping 2\/cut\.jpg: unreadable JPEG/,
    );
    expect(notices.find((l) => l.includes('notes.txt'))).toBe(
      'morphnet: skipping 5/notes.txt: not a PNG or JPEG file.',
    );
  });

  it('classes sort by code point; top-level and hidden files are ignored', async () => {
    const dir = await folder('names');
    const png = pngBytes(new Uint8Array(4 * 4).fill(200), 4, 4, 0);
    for (const name of ['é', 'a', 'Z', '10', '9']) {
      await mkdir(join(dir, name, 'nested'), { recursive: true });
      await writeFile(join(dir, name, 'nested', 'x.png'), png);
      await writeFile(join(dir, name, 'y.png'), png);
    }
    await mkdir(join(dir, '.cache'));
    await writeFile(join(dir, 'labels.csv'), 'a,b\n');
    const scanned = await scanImageFolder(dir, { testFraction: 0.5 });
    expect(scanned.classNames).toEqual(['10', '9', 'Z', 'a', 'é']);
    expect(['é', 'a', 'Z'].sort(compareCodePoints)).toEqual(['Z', 'a', 'é']);
    expect(['\u{1F600}', '\uFFFF'].sort(compareCodePoints)).toEqual(['\uFFFF', '\u{1F600}']);
    expect(scanned.train.files.length + scanned.test.files.length).toBe(10);
  });

  describe('refusals: one sentence, a MorphnetError', () => {
    const refuses = async (p: Promise<unknown>, message: RegExp) => {
      const error = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MorphnetError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.split('\n')).toHaveLength(1);
    };

    it('no folder, no classes, a class without images, train/ without test/', async () => {
      await refuses(loadImageFolder(join(root, 'missing'), [28, 28, 1]), /does not exist/);
      const empty = await folder('empty');
      await refuses(loadImageFolder(empty, [28, 28, 1]), /holds no class folders/);
      const lonely = await folder('lonely');
      await mkdir(join(lonely, 'cat'));
      await mkdir(join(lonely, 'dog'));
      await writeFile(join(lonely, 'cat', 'a.png'), pngBytes(new Uint8Array(16), 4, 4, 0));
      await writeFile(join(lonely, 'dog', 'a.txt'), 'woof');
      await refuses(
        loadImageFolder(lonely, [28, 28, 1], { onNotice: () => {} }),
        /class folder dog holds no PNG or JPEG images/,
      );
      const half = await folder('half');
      await mkdir(join(half, 'train', 'cat'), { recursive: true });
      await refuses(loadImageFolder(half, [28, 28, 1]), /has a train\/ folder but no test\/ folder/);
    });

    it('an unknown model input size without imageSize; other channel counts; a class of only corrupt files', async () => {
      await refuses(
        loadImageFolder(flat, [null, null, null, 3]),
        /leaves the image size unknown: give imageSize \[H, W\]/,
      );
      const data = await loadImageFolder(flat, [null, null, null, 3], {
        imageSize: [20, 24],
        testFraction: 0.1,
      });
      expect(data.imageShape).toEqual([20, 24, 3]);
      await refuses(
        loadImageFolder(flat, [28, 28, 2]),
        /has 2 channels; image folders give 1 \(gray\) or 3 \(RGB\)/,
      );
      await refuses(
        loadImageFolder(flat, [28, 28, 1], { imageSize: [30, 30] }),
        /disagrees with the model's input/,
      );
      const bad = await folder('bad-class');
      await mkdir(join(bad, 'a'));
      await mkdir(join(bad, 'b'));
      await writeFile(join(bad, 'a', '1.png'), pngBytes(new Uint8Array(16), 4, 4, 0));
      await writeFile(join(bad, 'a', '2.png'), pngBytes(new Uint8Array(16), 4, 4, 0));
      await writeFile(join(bad, 'b', '1.png'), pngBytes(new Uint8Array(16), 4, 4, 0).subarray(0, 50));
      await refuses(
        loadImageFolder(bad, [4, 4, 1], { testFraction: 0, onNotice: () => {} }),
        /class folder b holds no readable PNG or JPEG image/,
      );
    });
  });
});

describe('model input and targets', () => {
  it('the input shape comes from the model, imageSize fills unknown sizes', () => {
    expect(inputShapeFor([null, 28, 28, 1])).toEqual([28, 28, 1]);
    expect(inputShapeFor([96, 96, 3])).toEqual([96, 96, 3]);
    expect(inputShapeFor([null, null, null, 3], { imageSize: [64, 48] })).toEqual([64, 48, 3]);
    expect(() => inputShapeFor([null, 10])).toThrow(/not images/);
    expect(() => inputShapeFor([null, null, null, 3], { imageSize: [0, 4] })).toThrow(
      /imageSize must be two positive/,
    );
  });

  it('targets: one-hot rows, or one 0/1 unit for two classes (Keras label_mode)', () => {
    expect(Array.from(labelTargets([2, 0], 3, 'categorical'))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(labelTargets([1, 0, 1], 2, 'binary'))).toEqual([1, 0, 1]);
    expect(() => labelTargets([1], 3, 'binary')).toThrow(
      /labelMode binary needs exactly 2 classes, the data has 3/,
    );
  });
});
