/**
 * Test images written by hand: PNG files of any 8-bit colour type (gray, gray + alpha, RGB, RGBA) built
 * byte by byte (signature, IHDR, zlib IDAT, IEND, CRC-32), JPEG files by mozjpeg (@jsquash/jpeg's
 * encoder), and folders of MNIST digits saved at 36×36 RGB.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { loadMnist } from '../../src/data/index.js';

/** PNG colour types: 0 gray, 2 RGB, 4 gray + alpha, 6 RGBA (channels 1, 3, 2, 4). */
export type PngColor = 0 | 2 | 4 | 6;
const CHANNELS: Record<PngColor, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit PNG of `pixels` (row-major, interleaved channels of `color`). */
export function pngBytes(pixels: Uint8Array, width: number, height: number, color: PngColor): Buffer {
  const c = CHANNELS[color];
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = color;
  const raw = Buffer.alloc(height * (1 + width * c));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * c)] = 0; // filter: none
    raw.set(pixels.subarray(y * width * c, (y + 1) * width * c), y * (1 + width * c) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

let jpegReady: Promise<void> | undefined;

/** A JPEG of RGB (or gray, `gray: true`) pixels by mozjpeg at `quality`. */
export async function jpegBytes(
  pixels: Uint8Array,
  width: number,
  height: number,
  { quality = 90, gray = false } = {},
): Promise<Buffer> {
  const encoder = await import('@jsquash/jpeg/encode.js');
  jpegReady ??= (async () => {
    const wasm = await readFile(
      createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm'),
    );
    const compiled = await WebAssembly.compile(wasm);
    await encoder.init({
      instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
        const instance = new WebAssembly.Instance(compiled, imports);
        done(instance);
        return instance.exports;
      },
    } as unknown as Parameters<typeof encoder.init>[0]);
  })();
  await jpegReady;
  const c = gray ? 1 : 3;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[i * 4 + k] = pixels[i * c + (gray ? 0 : k)];
    rgba[i * 4 + 3] = 255;
  }
  const options = { quality, ...(gray ? { color_space: 1 } : {}) };
  const bytes = await encoder.default({ data: rgba, width, height } as ImageData, options);
  return Buffer.from(bytes);
}

/** One digit written by `writeDigitFolder`. */
export interface WrittenDigit {
  path: string;
  label: number;
  /** The 36×36 RGB pixels written (R = G = B). */
  pixels: Uint8Array;
  format: 'png' | 'jpeg';
}

/**
 * Writes `perClass` MNIST digits of each class 0–9 (from the train set, in order) as 36×36 RGB images:
 * `root/<digit>/<n>.png` or `.jpg`, alternating. With `split`, the first `testPerClass` of each class go
 * to `root/test/<digit>/` and the rest to `root/train/<digit>/`.
 */
export async function writeDigitFolder(
  root: string,
  perClass: number,
  { split = false, testPerClass = 0 } = {},
): Promise<WrittenDigit[]> {
  const mnist = await loadMnist({ limit: 1000, testLimit: 1 });
  const taken = new Array(10).fill(0);
  const out: WrittenDigit[] = [];
  for (let i = 0; i < mnist.train.count && out.length < 10 * perClass; i++) {
    const label = mnist.train.labels[i];
    if (taken[label] >= perClass) continue;
    const n = taken[label]++;
    const big = tf.tidy(() => {
      const x = tf.tensor4d(mnist.train.images.subarray(i * 784, (i + 1) * 784), [1, 28, 28, 1]);
      return tf.image.resizeBilinear(tf.mul(x, 255) as tf.Tensor4D, [36, 36], false, true).round();
    });
    const gray = Uint8Array.from(big.dataSync());
    big.dispose();
    const rgb = new Uint8Array(36 * 36 * 3);
    gray.forEach((v, j) => rgb.fill(v, j * 3, j * 3 + 3));
    const format = n % 2 === 0 ? 'png' : 'jpeg';
    const part = split ? (n < testPerClass ? 'test' : 'train') : '';
    const dir = join(root, part, String(label));
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${String(n).padStart(3, '0')}.${format === 'png' ? 'png' : 'jpg'}`);
    await writeFile(path, format === 'png' ? pngBytes(rgb, 36, 36, 2) : await jpegBytes(rgb, 36, 36));
    out.push({ path, label, pixels: rgb, format });
  }
  return out;
}
