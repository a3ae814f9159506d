/**
 * Reader for IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed. Header: two zero
 * bytes, a type code, the number of dimensions, then one big-endian uint32 per dimension, then the data
 * (big-endian for multi-byte types). Every error names the file.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The element types IDX files can hold, by their type code. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX file: its dimensions and its data (a typed array of the file's element type). */
export interface IdxArray {
  type: IdxType;
  /** Dimensions of `data`: the file's, with the first cut to the limit read. */
  shape: number[];
  /** The first dimension as the file's header gives it (entries in the whole file). */
  fileCount: number;
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

/** What an IDX header says: element type, dimensions, and where the data starts. */
export interface IdxHeader {
  type: IdxType;
  /** Bytes per element. */
  size: number;
  shape: number[];
  headerBytes: number;
}

/** Most elements one array read from an IDX file may hold (DESIGN.md "Bounds"). */
export const MAX_IDX_ELEMENTS = 2 ** 31;

/**
 * Parses the header at the start of `bytes`: undefined while more bytes are needed, an error naming the
 * file when the magic number is wrong.
 */
export function parseIdxHeader(bytes: Uint8Array, file: string, final = true): IdxHeader | undefined {
  if (bytes.length < 4 && !final) return undefined;
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
    if (!final) return undefined;
    throw new Error(`${file} is truncated: its header announces ${rank} dimensions but the file ends first.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  return { type, size, shape, headerBytes };
}

const described = (h: IdxHeader): string => {
  const count = h.shape.reduce((a, b) => a * b, 1);
  return `${h.shape.join('×')} ${h.type} values (${h.headerBytes + count * h.size} bytes in all)`;
};

/** Parses IDX bytes (already decompressed); `file` is used in error messages only. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const header = parseIdxHeader(bytes, file)!;
  const { type, shape, headerBytes, size } = header;
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * size;
  if (bytes.length < expected) {
    throw new Error(
      `${file} is truncated: its header says ${described(header)}, but it holds ${bytes.length} bytes.`,
    );
  }
  if (bytes.length > expected) {
    throw new Error(
      `${file} is not a valid IDX file: its header says ${described(header)}, but it holds ${bytes.length} bytes.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { type, shape, fileCount: shape[0], data: decode(view, headerBytes, count, type, bytes) };
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

/** Options of {@link readIdx}. */
export interface ReadIdxOptions {
  /** Read only the first `limit` entries along the first dimension; the rest is not decompressed. */
  limit?: number;
  /**
   * Sees the bytes of the entries past `limit` as they stream by, without keeping them (e.g. to find the
   * largest label); then the rest is decompressed, but never past the size the header gives.
   */
  onRest?: (bytes: Uint8Array) => void;
}

/** Opens `file` as a stream of its IDX bytes, decompressed on the fly when it is gzip-compressed. */
async function openIdxStream(file: string): Promise<{ source: Readable; close: () => void }> {
  const head = new Uint8Array(2);
  try {
    const handle = await open(file, 'r');
    try {
      await handle.read(head, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file} does not exist.`);
    throw new Error(`${file} could not be read (${code ?? (error as Error).message}).`);
  }
  const raw = createReadStream(file);
  if (!isGzip(head)) return { source: raw, close: () => raw.destroy() };
  const gunzip = createGunzip();
  const source = pipeline(raw, gunzip, () => undefined);
  return {
    source,
    close: () => {
      raw.destroy();
      gunzip.destroy();
    },
  };
}

/** Collects the header, then the kept entries into one buffer, then streams or skips the rest. */
class IdxCollector {
  private head = new Uint8Array(0);
  private header?: IdxHeader;
  private kept = new Uint8Array(0);
  /** Entries kept (the first dimension of the result). */
  private keep = 0;
  private keptBytes = 0;
  /** Bytes of all the entries, as the header gives them. */
  private dataBytes = 0;
  private filled = 0;
  /** Bytes seen past the kept part. */
  private rest = 0;

  constructor(
    private readonly file: string,
    private readonly options: ReadIdxOptions,
  ) {}

  /** Takes one chunk; returns false once nothing more needs to be read. */
  push(chunk: Uint8Array): boolean {
    if (!this.header) {
      const joined = new Uint8Array(this.head.length + chunk.length);
      joined.set(this.head);
      joined.set(chunk, this.head.length);
      this.head = joined;
      const header = parseIdxHeader(joined, this.file, false);
      if (!header) return true;
      this.start(header);
      chunk = joined.subarray(header.headerBytes);
    }
    const take = Math.min(chunk.length, this.keptBytes - this.filled);
    this.kept.set(chunk.subarray(0, take), this.filled);
    this.filled += take;
    // Past the kept entries, read on only to hand the rest to onRest, or to check that nothing follows.
    const readOn = this.options.onRest !== undefined || this.keptBytes === this.dataBytes;
    const over = chunk.subarray(take);
    if (readOn && over.length > 0) {
      this.rest += over.length;
      if (this.keptBytes + this.rest > this.dataBytes)
        throw new Error(
          `${this.file} is not a valid IDX file: its header says ${described(this.header!)}, but it holds more.`,
        );
      this.options.onRest?.(over);
    }
    return this.filled < this.keptBytes || readOn;
  }

  private start(header: IdxHeader): void {
    this.header = header;
    const [count, ...item] = header.shape;
    const perEntry = item.reduce((a, b) => a * b, 1);
    this.keep = Math.min(count, this.options.limit ?? count);
    if (this.keep * perEntry > MAX_IDX_ELEMENTS)
      throw new Error(
        `${this.file} holds ${header.shape.join('×')} values: ${this.keep} entries of ${perEntry} are more than the 2^31 values one array may hold; read fewer (a limit).`,
      );
    this.keptBytes = this.keep * perEntry * header.size;
    this.dataBytes = count * perEntry * header.size;
    this.kept = new Uint8Array(this.keptBytes);
  }

  /** The array read, once the stream has ended (`ended`) or been stopped after the kept entries. */
  finish(ended: boolean): IdxArray {
    const header = this.header ?? parseIdxHeader(this.head, this.file)!;
    const got = header.headerBytes + this.filled + this.rest;
    if (this.filled < this.keptBytes || (ended && this.keptBytes + this.rest < this.dataBytes))
      throw new Error(
        `${this.file} is truncated: its header says ${described(header)}, but it holds ${got} bytes.`,
      );
    const shape = [this.keep, ...header.shape.slice(1)];
    const count = shape.reduce((a, b) => a * b, 1);
    const view = new DataView(this.kept.buffer);
    return {
      type: header.type,
      shape,
      fileCount: header.shape[0],
      data: decode(view, 0, count, header.type, this.kept),
    };
  }
}

/** One sentence for an error met while streaming `file`; errors already written for it pass through. */
function readError(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error as Error;
  if (code.startsWith('Z_'))
    return new Error(`${file} is a damaged gzip file (${(error as Error).message}).`);
  return new Error(`${file} could not be read (${code}).`);
}

/**
 * Reads an IDX file from disk, decompressing it on the fly when it is gzip-compressed (detected by
 * content). Decompression stops at the size the header allows for the entries asked for: a small gzip
 * that would inflate to gigabytes is refused as soon as it passes that size, and with `limit` only the
 * first entries are ever inflated.
 */
export async function readIdx(file: string, options: ReadIdxOptions = {}): Promise<IdxArray> {
  const { source, close } = await openIdxStream(file);
  const collector = new IdxCollector(file, options);
  let ended = true;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      if (!collector.push(chunk)) {
        ended = false;
        break;
      }
    }
  } catch (error) {
    throw readError(file, error);
  } finally {
    close();
  }
  return collector.finish(ended);
}
