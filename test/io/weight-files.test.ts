/**
 * Weight files are read only inside the model's folder and only when their sizes match the manifest
 * (DESIGN.md "Weights read"). Every refusal here is checked to come before the bytes are read: a FIFO
 * would hang and a sparse 2 GiB shard would take seconds and gigabytes if it were read. The byte counts
 * expected are tf.js's own (DTYPE_VALUE_SIZE_MAP: float32 4, uint8 1, float16 2 bytes per value), and
 * dequantized values are checked against value = q · scale + min and IEEE half precision, computed here.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MorphnetError } from '../../src/errors.js';
import { loadModel, saveModel, MODEL_JSON, WEIGHTS_BIN, type ModelJsonFile } from '../../src/io/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend, tf } from '../helpers/tf.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-weights-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let model: tf.LayersModel;
let json: ModelJsonFile;
let bin: Uint8Array;

beforeAll(async () => {
  await cpuBackend();
  model = buildZooModel('tiny', { seed: 3 });
  const saved = path.join(root, 'saved');
  await saveModel(model, saved);
  json = JSON.parse(await fs.readFile(path.join(saved, MODEL_JSON), 'utf8')) as ModelJsonFile;
  delete json.weightsSha256; // as tfjs-converter writes them
  bin = new Uint8Array(await fs.readFile(path.join(saved, WEIGHTS_BIN)));
});

/** Writes `dir/model.json` with the given manifest groups and shard files; returns the model.json path. */
async function writeModel(
  name: string,
  manifest: ModelJsonFile['weightsManifest'],
  shards: Record<string, Uint8Array> = {},
): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  for (const [file, bytes] of Object.entries(shards)) await fs.writeFile(path.join(dir, file), bytes);
  const file = path.join(dir, MODEL_JSON);
  await fs.writeFile(file, JSON.stringify({ ...json, weightsManifest: manifest }));
  return file;
}

const specs = () => json.weightsManifest![0].weights;
const oneGroup = (paths: string[]) => [{ paths, weights: specs() }];

async function refused(file: string, pattern: RegExp): Promise<void> {
  const started = Date.now();
  const error = await loadModel(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MorphnetError);
  const message = (error as Error).message;
  expect(message).toMatch(pattern);
  expect(message).toContain(file);
  expect(message.split('\n')).toHaveLength(1);
  expect(Date.now() - started).toBeLessThan(5000);
}

async function outputsOf(m: tf.LayersModel): Promise<Float32Array> {
  const x = tf.tensor4d(
    Array.from({ length: 2 * 64 }, (_, i) => Math.cos(i)),
    [2, 8, 8, 1],
  );
  const y = m.predict(x) as tf.Tensor;
  const v = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return v;
}

describe('weight paths are confined to the model folder', () => {
  it('refuses ../ and absolute paths, even when the file there has the right size', async () => {
    const secret = path.join(root, 'secret.bin');
    await fs.writeFile(secret, bin);
    await refused(
      await writeModel('dotdot', oneGroup(['../secret.bin'])),
      /"\.\.\/secret\.bin" lies outside/,
    );
    await refused(await writeModel('absolute', oneGroup([secret])), /is an absolute path/);
    await refused(await writeModel('dev-zero', oneGroup(['/dev/zero'])), /"\/dev\/zero" is an absolute path/);
  });

  it('refuses a symlink leading out of the folder and follows one that stays inside', async () => {
    const outside = path.join(root, 'outside.bin');
    await fs.writeFile(outside, bin);
    const escaping = await writeModel('link-out', oneGroup(['w.bin']));
    await fs.symlink(outside, path.join(path.dirname(escaping), 'w.bin'));
    await refused(escaping, /"w\.bin" is a link leading outside/);
    const zero = await writeModel('link-zero', oneGroup(['z.bin']));
    await fs.symlink('/dev/zero', path.join(path.dirname(zero), 'z.bin'));
    await refused(zero, /"z\.bin" is a link leading outside/);

    const inside = await writeModel('link-in', oneGroup(['w.bin']), { 'real.bin': bin });
    await fs.symlink('real.bin', path.join(path.dirname(inside), 'w.bin'));
    const loaded = await loadModel(inside);
    expect(await outputsOf(loaded)).toEqual(await outputsOf(model));
    loaded.dispose();
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const file = await writeModel('fifo', oneGroup(['w.bin']));
    const made = spawnSync('mkfifo', [path.join(path.dirname(file), 'w.bin')]);
    expect(made.status).toBe(0);
    await refused(file, /"w\.bin" is a FIFO; weight files must be regular files/);
  });

  it('refuses a folder named as a shard, and names a missing one', async () => {
    const folder = await writeModel('folder', oneGroup(['w.bin']));
    await fs.mkdir(path.join(path.dirname(folder), 'w.bin'));
    await refused(folder, /"w\.bin" is a folder/);
    await refused(await writeModel('missing', oneGroup(['gone.bin'])), /"gone\.bin" is missing/);
  });
});

describe('shard sizes must match the manifest', () => {
  it('refuses a shard 1.9 GB larger than the manifest says without reading it', async () => {
    const file = await writeModel('larger', oneGroup(['w.bin']), { 'w.bin': bin });
    await fs.truncate(path.join(path.dirname(file), 'w.bin'), bin.length + 1.9e9); // sparse: no disk used
    const rss = process.memoryUsage().rss;
    await refused(
      file,
      new RegExp(`"w\\.bin" holds ${bin.length + 1.9e9} bytes, but .* need ${bin.length}\\.`),
    );
    expect(process.memoryUsage().rss - rss).toBeLessThan(200e6);
  });

  it('reports a shard of 2 GiB and more by its size, not as missing', async () => {
    const file = await writeModel('huge', oneGroup(['w.bin']), { 'w.bin': bin });
    await fs.truncate(path.join(path.dirname(file), 'w.bin'), 2 ** 31 + 8);
    await refused(file, new RegExp(`"w\\.bin" holds ${2 ** 31 + 8} bytes, but`));
  });

  it('refuses a shard smaller than the manifest says', async () => {
    const file = await writeModel('smaller', oneGroup(['w.bin']), { 'w.bin': bin.subarray(0, 500) });
    // zoo:tiny's weights: conv1 3·3·1·4, conv2 3·3·4·8, dense 8·10 + 10, and γ, β, mean, variance of
    // 4 + 8 BN channels: 462 float32 values, 4 bytes each.
    expect(bin.length).toBe(4 * (36 + 288 + 90 + 4 * 12));
    await refused(file, /"w\.bin" holds 500 bytes, but the manifest's 12 weights of that group need 1848\./);
  });

  it('checks each group on its own: bytes moved from one group to the other are refused', async () => {
    const weights = specs();
    const first = weights.slice(0, 2); // conv1/kernel (3·3·1·4) and conv1_bn/gamma (4): 40 floats
    const rest = weights.slice(2);
    const firstBytes = 4 * 40;
    const manifest = [
      { paths: ['a.bin'], weights: first },
      { paths: ['b.bin'], weights: rest },
    ];
    const good = await writeModel('groups-good', manifest, {
      'a.bin': bin.subarray(0, firstBytes),
      'b.bin': bin.subarray(firstBytes),
    });
    const loaded = await loadModel(good);
    expect(await outputsOf(loaded)).toEqual(await outputsOf(model));
    loaded.dispose();
    const shifted = await writeModel('groups-shifted', manifest, {
      'a.bin': bin.subarray(0, firstBytes + 4),
      'b.bin': bin.subarray(firstBytes + 4),
    });
    await refused(
      shifted,
      new RegExp(
        `"a\\.bin" holds ${firstBytes + 4} bytes, but the manifest's 2 weights of that group need ${firstBytes}\\.`,
      ),
    );
  });

  it('accepts shards split anywhere (mid-weight, odd offsets), as tfjs-converter splits them', async () => {
    const cuts = [0, 5, 333, 334, bin.length];
    const shards: Record<string, Uint8Array> = {};
    const names: string[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const name = `group1-shard${i + 1}of${cuts.length - 1}.bin`;
      shards[name] = bin.subarray(cuts[i], cuts[i + 1]);
      names.push(name);
    }
    const loaded = await loadModel(await writeModel('split', oneGroup(names), shards));
    expect(await outputsOf(loaded)).toEqual(await outputsOf(model));
    loaded.dispose();
    const missingOne = await writeModel('split-short', oneGroup(names.slice(1)), shards);
    await refused(
      missingOne,
      /weight files .* \(group 1\) hold 1843 bytes, but the manifest's 12 weights of that group need 1848\./,
    );
  });
});

/** IEEE 754 half-precision bits of a value exactly representable in it (normal numbers and 0). */
function halfBits(v: number): number {
  if (v === 0) return 0;
  const sign = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const exponent = Math.floor(Math.log2(a));
  const mantissa = a / 2 ** exponent - 1;
  return sign | ((exponent + 15) << 10) | Math.round(mantissa * 1024);
}

describe('quantized weights', () => {
  it('counts 1 byte per uint8 value and dequantizes as q · scale + min', async () => {
    const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.length / 4);
    const weights = specs();
    const entries: tf.io.WeightsManifestEntry[] = [];
    const bytes = new Uint8Array(floats.length);
    const expected: number[] = [];
    let offset = 0;
    for (const w of weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const values = floats.subarray(offset, offset + n);
      const min = Math.min(...values);
      const max = Math.max(...values);
      const scale = max > min ? (max - min) / 255 : 1;
      for (let i = 0; i < n; i++) {
        const q = Math.round((values[i] - min) / scale);
        bytes[offset + i] = q;
        expected.push(Math.fround(q * scale + min));
      }
      entries.push({ ...w, quantization: { dtype: 'uint8', scale, min } });
      offset += n;
    }
    const file = await writeModel('uint8', [{ paths: ['q.bin'], weights: entries }], { 'q.bin': bytes });
    const loaded = await loadModel(file);
    const got = loaded.layers.flatMap((l) => l.weights.map((w) => w));
    const byName = new Map(got.map((w) => [w.originalName, Array.from(w.read().dataSync())]));
    const flat = weights.flatMap((w) => byName.get(w.name)!);
    flat.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    loaded.dispose();

    const asFloat = await writeModel('uint8-wrong-size', [{ paths: ['q.bin'], weights: entries }], {
      'q.bin': bin,
    });
    await refused(
      asFloat,
      /"q\.bin" holds 1848 bytes, but the manifest's 12 weights of that group need 462\./,
    );
  });

  it('counts 2 bytes per float16 value and decodes half precision', async () => {
    const weights = specs();
    const count = weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    const values = Array.from({ length: count }, (_, i) => ((i % 41) - 20) / 64); // exact in float16
    const half = new Uint16Array(values.map(halfBits));
    const entries = weights.map((w) => ({ ...w, quantization: { dtype: 'float16' as const } }));
    const file = await writeModel('float16', [{ paths: ['h.bin'], weights: entries }], {
      'h.bin': new Uint8Array(half.buffer),
    });
    const loaded = await loadModel(file);
    const byName = new Map(
      loaded.layers.flatMap((l) => l.weights).map((w) => [w.originalName, Array.from(w.read().dataSync())]),
    );
    expect(weights.flatMap((w) => byName.get(w.name)!)).toEqual(values);
    loaded.dispose();
  });
});
