/**
 * Reading the weight shards a `model.json` names, confined and checked before any byte is read
 * (DESIGN.md "Weights read"): every path must name a regular file inside the model's folder (no `../`,
 * no absolute path, no symlink leading out, no FIFO or device), and each manifest group's shards must
 * add up exactly to the bytes its weights need at their stored dtype. Shards may split a group anywhere,
 * as tfjs-converter's 4 MiB shards do; quantized weights stay quantized here (tf.js dequantizes them on
 * load). Errors are one sentence naming the model file and the weight file.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';

/** Most elements one weight tensor may hold (DESIGN.md "Bounds": refuse above ~2^31). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31;

/** Bytes per stored value, by tf.js dtype (a quantization dtype, when present, decides instead). */
const BYTES_PER_VALUE: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** The weights of one model: their specs in manifest order and their bytes, concatenated. */
export interface WeightShards {
  specs: tf.io.WeightsManifestEntry[];
  data: Uint8Array<ArrayBuffer>;
}

/** One shard, checked and opened, not yet read. */
interface OpenShard {
  name: string;
  handle: fs.FileHandle;
  size: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bytes one manifest entry needs at its stored dtype; throws a sentence for a malformed entry. */
export function entryBytes(entry: unknown, modelFile: string): number {
  if (!isObject(entry) || typeof entry.name !== 'string')
    throw new MorphnetError(`${modelFile}: a weightsManifest entry has no "name".`);
  const name = entry.name;
  const shape = entry.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0))
    throw new MorphnetError(`${modelFile}: weight "${name}" has no valid "shape" (a list of integers ≥ 0).`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  if (elements > MAX_TENSOR_ELEMENTS)
    throw new MorphnetError(
      `${modelFile}: weight "${name}" of shape [${shape.join(', ')}] has ${elements} elements, more than the 2^31 one tensor may hold.`,
    );
  const quantization = entry.quantization;
  const dtype = isObject(quantization) ? quantization.dtype : entry.dtype;
  const size = typeof dtype === 'string' ? BYTES_PER_VALUE[dtype] : undefined;
  if (size === undefined)
    throw new MorphnetError(
      `${modelFile}: weight "${name}" has dtype ${JSON.stringify(dtype)}; a layers model's weights are float32, int32 or bool (quantized uint8, uint16 or float16).`,
    );
  return elements * size;
}

/** One manifest group's paths and entries, checked for form. */
function groupParts(
  group: unknown,
  index: number,
  modelFile: string,
): { paths: string[]; weights: unknown[] } {
  if (
    !isObject(group) ||
    !Array.isArray(group.paths) ||
    !group.paths.every((p) => typeof p === 'string') ||
    !Array.isArray(group.weights)
  )
    throw new MorphnetError(
      `${modelFile}: weightsManifest group ${index + 1} needs a "paths" list of file names and a "weights" list.`,
    );
  return { paths: group.paths as string[], weights: group.weights };
}

/** True when `inner` is `outer` or lies below it (both absolute, normalized). */
function isInside(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function describeKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens one shard named in the manifest: refuses absolute paths and paths or symlinks leading out of
 * `realBase`, then opens without blocking (a FIFO would wait for a writer forever) and without following
 * a last-moment symlink, and refuses anything but a regular file.
 */
async function openShard(p: string, base: string, realBase: string, modelFile: string): Promise<OpenShard> {
  const where = `${modelFile}: weight file ${JSON.stringify(p)}`;
  if (path.isAbsolute(p) || /^[a-zA-Z]:[\\/]/.test(p))
    throw new MorphnetError(`${where} is an absolute path; weight files must lie inside the model's folder.`);
  const resolved = path.resolve(base, p);
  if (!isInside(path.resolve(base), resolved))
    throw new MorphnetError(`${where} lies outside the model's folder; weight files must lie inside it.`);
  let real: string;
  try {
    real = await fs.realpath(resolved);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MorphnetError(`${where} is missing.`);
    throw new MorphnetError(`${where} cannot be read (${code ?? String(err)}).`);
  }
  if (!isInside(realBase, real))
    throw new MorphnetError(
      `${where} is a link leading outside the model's folder; weight files must lie inside it.`,
    );
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MorphnetError(`${where} cannot be opened (${code ?? String(err)}).`);
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new MorphnetError(`${where} is ${describeKind(stats)}; weight files must be regular files.`);
  }
  return { name: p, handle, size: stats.size };
}

/** Refuses a group whose shards do not add up to the bytes its weights need. */
function checkGroupSize(
  shards: OpenShard[],
  need: number,
  count: number,
  index: number,
  modelFile: string,
): void {
  const have = shards.reduce((n, s) => n + s.size, 0);
  if (have === need) return;
  const files =
    shards.length === 1
      ? `weight file ${JSON.stringify(shards[0].name)} holds`
      : `weight files ${shards.map((s) => JSON.stringify(s.name)).join(', ')} (group ${index + 1}) hold`;
  throw new MorphnetError(
    `${modelFile}: ${files} ${have} bytes, but the manifest's ${count} weights of that group need ${need}.`,
  );
}

/** Reads exactly `shard.size` bytes into `into` at `offset` (never more: a file that grew is not read past). */
async function readShard(
  shard: OpenShard,
  into: Uint8Array,
  offset: number,
  modelFile: string,
): Promise<void> {
  let done = 0;
  while (done < shard.size) {
    const { bytesRead } = await shard.handle.read(into, offset + done, shard.size - done, done);
    if (bytesRead === 0)
      throw new MorphnetError(
        `${modelFile}: weight file ${JSON.stringify(shard.name)} shrank while it was read (${done} of ${shard.size} bytes).`,
      );
    done += bytesRead;
  }
}

function allocate(total: number, modelFile: string): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(total);
  } catch {
    throw new MorphnetError(
      `${modelFile}: its weights need ${total} bytes, more than this process can hold.`,
    );
  }
}

/**
 * Reads the weights a `model.json` names (`manifest`, paths relative to the file's folder), checked as
 * the module header says, and returns their specs and bytes in manifest order.
 */
export async function readWeightShards(modelFile: string, manifest: unknown): Promise<WeightShards> {
  if (manifest === undefined || manifest === null) return { specs: [], data: new Uint8Array(0) };
  if (!Array.isArray(manifest)) throw new MorphnetError(`${modelFile}: its "weightsManifest" is not a list.`);
  const base = path.dirname(modelFile);
  const realBase = await fs.realpath(base);
  const opened: OpenShard[] = [];
  try {
    const specs: tf.io.WeightsManifestEntry[] = [];
    let total = 0;
    for (const [index, group] of manifest.entries()) {
      const { paths, weights } = groupParts(group, index, modelFile);
      const need = weights.reduce<number>((n, w) => n + entryBytes(w, modelFile), 0);
      const shards: OpenShard[] = [];
      for (const p of paths) {
        const shard = await openShard(p, base, realBase, modelFile);
        opened.push(shard);
        shards.push(shard);
      }
      checkGroupSize(shards, need, weights.length, index, modelFile);
      specs.push(...(weights as tf.io.WeightsManifestEntry[]));
      total += need;
    }
    const data = allocate(total, modelFile);
    let offset = 0;
    for (const shard of opened) {
      await readShard(shard, data, offset, modelFile);
      offset += shard.size;
    }
    return { specs, data };
  } finally {
    await Promise.all(opened.map((s) => s.handle.close()));
  }
}
