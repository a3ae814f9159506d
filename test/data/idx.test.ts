import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdx } from '../../src/data/idx.js';
import { loadDataset } from '../../src/data/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'morphnet-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// A 2×2×3 unsigned-byte file written byte by byte: magic 00 00 08 03, dims 2, 2, 3 (big-endian), data 0..11.
const UBYTE_2x2x3 = new Uint8Array([
  0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
]);

describe('readIdx', () => {
  it('reads a hand-made unsigned-byte file, raw and gzipped', async () => {
    await writeFile(join(dir, 'raw'), UBYTE_2x2x3);
    await writeFile(join(dir, 'packed.gz'), gzipSync(UBYTE_2x2x3));
    for (const name of ['raw', 'packed.gz']) {
      const idx = await readIdx(join(dir, name));
      expect(idx.type).toBe('uint8');
      expect(idx.shape).toEqual([2, 2, 3]);
      expect([...idx.data]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    }
  });

  it('decodes big-endian int16, int32, float32 and float64 values', async () => {
    // int16 -2 = ff fe, 258 = 01 02; int32 -1 = ff ff ff ff; float32 1.5 = 3f c0 00 00; float64 -2 = c0 00 ...
    const files: [string, number[], number[]][] = [
      ['i16', [0, 0, 0x0b, 1, 0, 0, 0, 2, 0xff, 0xfe, 0x01, 0x02], [-2, 258]],
      ['i32', [0, 0, 0x0c, 1, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff], [-1]],
      ['f32', [0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0], [1.5]],
      ['f64', [0, 0, 0x0e, 1, 0, 0, 0, 1, 0xc0, 0, 0, 0, 0, 0, 0, 0], [-2]],
      ['i8', [0, 0, 0x09, 1, 0, 0, 0, 2, 0xff, 0x7f], [-1, 127]],
    ];
    for (const [name, bytes, values] of files) {
      await writeFile(join(dir, name), new Uint8Array(bytes));
      const idx = await readIdx(join(dir, name));
      expect([...idx.data]).toEqual(values);
    }
  });

  it('rejects a file with a bad magic number, naming the file', async () => {
    const file = join(dir, 'not-idx.bin');
    await writeFile(file, new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]));
    await expect(readIdx(file)).rejects.toThrow(`${file} is not an IDX file: it starts with 50 4b 03 04`);
    const badType = join(dir, 'bad-type');
    await writeFile(badType, new Uint8Array([0, 0, 0x07, 1, 0, 0, 0, 1, 9]));
    await expect(readIdx(badType)).rejects.toThrow(`${badType} is not an IDX file`);
  });

  it('rejects truncated files (data or header), naming the file', async () => {
    const short = join(dir, 'short');
    await writeFile(short, UBYTE_2x2x3.subarray(0, UBYTE_2x2x3.length - 1));
    await expect(readIdx(short)).rejects.toThrow(
      `${short} is truncated: its header says 2×2×3 uint8 values (28 bytes in all), but it holds 27 bytes.`,
    );
    const header = join(dir, 'header.gz');
    await writeFile(header, gzipSync(UBYTE_2x2x3.subarray(0, 10)));
    await expect(readIdx(header)).rejects.toThrow(`${header} is truncated`);
    const long = join(dir, 'long');
    await writeFile(long, new Uint8Array([...UBYTE_2x2x3, 0]));
    await expect(readIdx(long)).rejects.toThrow(`${long} is not a valid IDX file`);
  });

  it('rejects a damaged gzip file and a missing file', async () => {
    const damaged = join(dir, 'damaged.gz');
    const packed = gzipSync(UBYTE_2x2x3);
    await writeFile(damaged, packed.subarray(0, packed.length - 6));
    await expect(readIdx(damaged)).rejects.toThrow(`${damaged} is a damaged gzip file`);
    await expect(readIdx(join(dir, 'nothing'))).rejects.toThrow(`${join(dir, 'nothing')} does not exist.`);
  });
});

/** IDX header bytes: magic 00 00 08 <rank>, then each dimension as a big-endian uint32. */
function idxHeader(shape: number[]): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * shape.length);
  bytes.set([0, 0, 0x08, shape.length]);
  const view = new DataView(bytes.buffer);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return bytes;
}

/**
 * A gzip of `header` followed by `zeros` zero bytes, as concatenated gzip members of 64 MiB each
 * (RFC 1952 allows several members; gunzip inflates them one after the other): about 1/1000 of the size.
 */
let zeroMember: Buffer | undefined;
function gzipBomb(header: Uint8Array, zeros: number, tail: Uint8Array = new Uint8Array(0)): Buffer {
  const piece = 64 * 2 ** 20;
  const member = (zeroMember ??= gzipSync(new Uint8Array(piece), { level: 9 }));
  const parts: Buffer[] = [gzipSync(header)];
  for (let left = zeros; left > 0; left -= piece)
    parts.push(left >= piece ? member : gzipSync(new Uint8Array(left), { level: 9 }));
  if (tail.length > 0) parts.push(gzipSync(tail));
  return Buffer.concat(parts);
}

describe('readIdx: gzip inflation is capped by the header', () => {
  // 6,000,000 images of 28×28 bytes: the header's own size is 4.7 GB.
  const shape = [6_000_000, 28, 28];
  const bombBytes = 6_000_000 * 28 * 28;

  it('reads only the entries asked for from a 4.7 GB gzip bomb (a few MB on disk)', async () => {
    const file = join(dir, 'bomb-images.gz');
    await writeFile(file, gzipBomb(idxHeader(shape), bombBytes));
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const idx = await readIdx(file, { limit: 512 });
    expect(idx.shape).toEqual([512, 28, 28]);
    expect(idx.fileCount).toBe(6_000_000);
    expect(idx.data).toHaveLength(512 * 784);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200e6);
    // without a limit the header's 4.7e9 values are refused before anything is inflated
    await expect(readIdx(file)).rejects.toThrow(
      `${file} holds 6000000×28×28 values: 6000000 entries of 784 are more than the 2^31 values one array may hold; read fewer (a limit).`,
    );
  });

  it('stops a gzip that inflates past its header at once (2 images said, 4.6 GB inside)', async () => {
    const file = join(dir, 'bomb-small-header.gz');
    await writeFile(file, gzipBomb(idxHeader([2, 28, 28]), 4.6e9));
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    await expect(readIdx(file)).rejects.toThrow(
      `${file} is not a valid IDX file: its header says 2×28×28 uint8 values (1584 bytes in all), but it holds more.`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200e6);
    const first = await readIdx(file, { limit: 1 });
    expect(first.shape).toEqual([1, 28, 28]);
  });

  it('never inflates past the entries asked for: damage after them is not even seen', async () => {
    const file = join(dir, 'damaged-tail.gz');
    // 1,000,000 entries of 2×2 pseudo-random bytes (incompressible: 4 MB of gzip), then a damaged member
    const data = new Uint8Array(4_000_000);
    let x = 12345;
    for (let i = 0; i < data.length; i++) data[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    const broken = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
    const member = gzipSync(Buffer.concat([idxHeader([1_000_000, 2, 2]), data]));
    await writeFile(file, Buffer.concat([member, broken]));
    const first = await readIdx(file, { limit: 2 });
    expect([...first.data]).toEqual([...data.subarray(0, 8)]);
    await expect(readIdx(file)).rejects.toThrow(`${file} is a damaged gzip file`);
  });
});

describe('an IDX folder read with a limit', () => {
  it('inflates only the limited entries of 4.6 GB gzip bombs, and still finds every class in the labels', async () => {
    const folder = join(dir, 'bomb-folder');
    await mkdir(folder);
    // train: 72,000,000 images of 8×8 (4.6 GB inflated), labels 0-4 up front and one 9 at the very end
    const n = 72_000_000;
    const first = Uint8Array.from({ length: 600 }, (_, i) => i % 5);
    const labelsHead = new Uint8Array([...idxHeader([n]), ...first]);
    await writeFile(join(folder, 'train-images-idx3-ubyte.gz'), gzipBomb(idxHeader([n, 8, 8]), n * 64));
    await writeFile(
      join(folder, 'train-labels-idx1-ubyte.gz'),
      gzipBomb(labelsHead, n - first.length - 1, new Uint8Array([9])),
    );
    const test = 100;
    await writeFile(
      join(folder, 't10k-images-idx3-ubyte'),
      new Uint8Array([...idxHeader([test, 8, 8]), ...new Uint8Array(test * 64).fill(255)]),
    );
    await writeFile(
      join(folder, 't10k-labels-idx1-ubyte'),
      new Uint8Array([...idxHeader([test]), ...new Uint8Array(test)]),
    );
    const rss = process.memoryUsage().rss;
    const data = await loadDataset(folder, { limit: 512, testLimit: 50 });
    expect(process.memoryUsage().rss - rss).toBeLessThan(300e6);
    expect(data.train.count).toBe(512);
    expect(data.train.images).toHaveLength(512 * 64);
    expect([...data.train.labels.subarray(0, 6)]).toEqual([0, 1, 2, 3, 4, 0]);
    expect(data.classes).toBe(10); // the 9 past the limit counts
    expect(data.test.count).toBe(50);
    expect(data.test.images[0]).toBe(1);
  });
});
