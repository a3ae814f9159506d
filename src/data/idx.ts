/**
 * Reader for IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed. Header: two zero
 * bytes, a type code, the number of dimensions, then one big-endian uint32 per dimension, then the data
 * (big-endian for multi-byte types). Every error names the file.
 */
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

/** The element types IDX files can hold, by their type code. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX file: its dimensions and its data (a typed array of the file's element type). */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'uint8', bytes: 1 },
  0x09: { type: 'int8', bytes: 1 },
  0x0b: { type: 'int16', bytes: 2 },
  0x0c: { type: 'int32', bytes: 4 },
  0x0d: { type: 'float32', bytes: 4 },
  0x0e: { type: 'float64', bytes: 8 },
};

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') || '(none)';

/** True when the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses IDX bytes (already decompressed); `file` is used in error messages only. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (
    bytes.length < 4 ||
    bytes[0] !== 0 ||
    bytes[1] !== 0 ||
    TYPES[bytes[2]] === undefined ||
    bytes[3] === 0
  ) {
    throw new Error(
      `${file} is not an IDX file: it starts with ${hex(bytes.subarray(0, 4))}, ` +
        `expected 00 00 <type 08|09|0b|0c|0d|0e> <dimensions ≥ 1>.`,
    );
  }
  const { type, bytes: size } = TYPES[bytes[2]];
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`${file} is truncated: its header announces ${rank} dimensions but the file ends first.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * size;
  if (bytes.length < expected) {
    throw new Error(
      `${file} is truncated: its header says ${shape.join('×')} ${type} values (${expected} bytes in all), ` +
        `but it holds ${bytes.length} bytes.`,
    );
  }
  if (bytes.length > expected) {
    throw new Error(
      `${file} is not a valid IDX file: its header says ${shape.join('×')} ${type} values (${expected} bytes ` +
        `in all), but it holds ${bytes.length} bytes.`,
    );
  }
  return { type, shape, data: decode(view, headerBytes, count, type, bytes) };
}

function decode(
  view: DataView,
  offset: number,
  count: number,
  type: IdxType,
  bytes: Uint8Array,
): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      // A copy (Node's Buffer#slice would share memory with the file's pooled buffer).
      return new Uint8Array(bytes.subarray(offset, offset + count));
    case 'int8':
      return new Int8Array(new Uint8Array(bytes.subarray(offset, offset + count)).buffer);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Reads an IDX file from disk, gunzipping it first when it is gzip-compressed (detected by content). */
export async function readIdx(file: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file} does not exist.`);
    throw new Error(`${file} could not be read (${code ?? (error as Error).message}).`);
  }
  if (isGzip(bytes)) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new Error(`${file} is a damaged gzip file (${(error as Error).message}).`);
    }
  }
  return parseIdx(bytes, file);
}
