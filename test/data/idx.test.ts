import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdx } from '../../src/data/idx.js';

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
