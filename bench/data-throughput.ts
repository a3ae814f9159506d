/**
 * Data-input benchmark. Writes a folder of 96×96 RGB images (10 classes, half PNG, half JPEG at quality
 * 90; smooth shapes and noise, so the files have photo-like sizes) into a temporary folder and measures,
 * in interleaved rounds on the same cores:
 * - decoding: images/s streamed from the folder as 64-image batches (decode, resize to the model input,
 *   / 255, batch), with 0 (in-thread), 1 and 2 decode worker threads;
 * - training: images/s of the onnx engine's training step on MobileNetV2 (Keras layout) at 96×96×3,
 *   batch 64, all cores, on a batch already in memory;
 * - both together: the same training fed by the stream (decoding beside training), against the same
 *   number of steps on an in-memory batch;
 * - memory: a child process streams 50,000 images (the folder's files hard-linked five times) through
 *   one epoch of training a net cheap enough to be paced by decoding, and reports its peak RSS (all its
 *   threads).
 * Writes bench/results/data-throughput.json, with the machine load (`uptime`) before and after.
 *
 * Run: npx tsx bench/data-throughput.ts [--images 10000] [--rounds 2] [--steps 4] [--rss-images 50000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../src/backend/index.js';
import { imageFolderSources, sourceBatchTensors, type BatchSource } from '../src/data/index.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import { buildZooModel } from '../src/zoo/index.js';
import { jpegBytes, pngBytes } from '../test/data/images.js';
import { drawImage, SIZE } from './photo-like.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const BATCH = 64;
const CLASSES = 10;

/** Writes `count` images into `dir/<class>/`; returns the bytes written per format. */
async function writeFolder(
  dir: string,
  count: number,
): Promise<{ png: number; jpeg: number; seconds: number }> {
  const t0 = performance.now();
  const bytes = { png: 0, jpeg: 0 };
  for (let c = 0; c < CLASSES; c++) mkdirSync(join(dir, `class-${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const pixels = drawImage(i + 1);
    const png = i % 2 === 0;
    const data = png ? pngBytes(pixels, SIZE, SIZE, 2) : await jpegBytes(pixels, SIZE, SIZE, { quality: 90 });
    writeFileSync(join(dir, `class-${i % CLASSES}`, `${i}.${png ? 'png' : 'jpg'}`), data);
    bytes[png ? 'png' : 'jpeg'] += data.length;
  }
  return { ...bytes, seconds: (performance.now() - t0) / 1000 };
}

/** Images per second of one pass over a source's epoch. */
async function drain(source: BatchSource, epoch: number): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const b of source.epoch(epoch)) n += b.size;
  return n / ((performance.now() - t0) / 1000);
}

/** Training images/s: `steps` steps on one in-memory batch, after 2 warm-up steps. */
async function trainInMemory(engine: Engine, steps: number): Promise<number> {
  const [xs, ys] = tf.tidy(() => [
    tf.randomUniform([BATCH, SIZE, SIZE, 3], 0, 1, 'float32', 1),
    tf.oneHot(tf.randomUniform([BATCH], 0, CLASSES, 'int32', 2), CLASSES).toFloat(),
  ]);
  for (let i = 0; i < 2; i++) await engine.step(xs, ys);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await engine.step(xs, ys);
  const rate = (steps * BATCH) / ((performance.now() - t0) / 1000);
  tf.dispose([xs, ys]);
  return rate;
}

/** Training images/s fed by a streamed source (`steps` steps after 2 warm-up batches). */
async function trainStreamed(
  engine: Engine,
  source: BatchSource,
  steps: number,
  epoch: number,
): Promise<number> {
  let done = 0;
  let images = 0;
  let t0 = 0;
  for await (const batch of source.epoch(epoch)) {
    if (done === 2) t0 = performance.now();
    const { xs, ys } = sourceBatchTensors(batch);
    await engine.step(xs, ys);
    tf.dispose([xs, ys]);
    if (done >= 2) images += batch.size;
    if (++done >= steps + 2) break;
  }
  return images / ((performance.now() - t0) / 1000);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: xs.map((x) => Math.round(x * 10) / 10) };
};

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

/** The child: one epoch of training a small net on `count` streamed images; prints JSON with its peak RSS. */
async function rssChild(dir: string): Promise<void> {
  await useBackend('cpu');
  const streamed = await imageFolderSources(dir, [SIZE, SIZE, 3], {
    testFraction: 0,
    batchSize: BATCH,
    seed: 1,
    onNotice: () => {},
  });
  // A net cheap enough that the epoch is paced by decoding: 8×8 average pooling, then a softmax layer.
  const x = tf.input({ shape: [SIZE, SIZE, 3] });
  const pooled = tf.layers.averagePooling2d({ poolSize: 8 }).apply(x);
  const flat = tf.layers.flatten().apply(pooled);
  const out = tf.layers.dense({ units: CLASSES, activation: 'softmax' }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: out });
  const engine = await createEngine(model, { engine: 'onnx', learningRate: 0.01 });
  const t0 = performance.now();
  let images = 0;
  let steps = 0;
  let lastLoss = NaN;
  for await (const batch of streamed.train.epoch(0)) {
    const { xs, ys } = sourceBatchTensors(batch);
    lastLoss = await engine.step(xs, ys);
    tf.dispose([xs, ys]);
    images += batch.size;
    steps++;
  }
  const seconds = (performance.now() - t0) / 1000;
  await streamed.close();
  engine.dispose();
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    JSON.stringify({ images, steps, seconds, imagesPerSecond: images / seconds, lastLoss, maxRssMiB }),
  );
}

/** Hard-links the folder's files `copies` times under new names (same content, distinct files). */
function linkCopies(from: string, to: string, copies: number): number {
  let n = 0;
  for (const cls of readdirSync(from)) {
    mkdirSync(join(to, cls), { recursive: true });
    for (const file of readdirSync(join(from, cls))) {
      for (let k = 0; k < copies; k++) {
        linkSync(join(from, cls, file), join(to, cls, `${k}-${file}`));
        n++;
      }
    }
  }
  return n;
}

async function main(): Promise<void> {
  const images = Number(arg('images', '10000'));
  const rounds = Number(arg('rounds', '2'));
  const steps = Number(arg('steps', '4'));
  const rssImages = Number(arg('rss-images', '50000'));
  const loadBefore = uptime();
  await useBackend('cpu');
  const root = mkdtempSync(join(tmpdir(), 'morphnet-bench-data-'));
  try {
    const folder = join(root, 'images');
    console.error(`writing ${images} images…`);
    const written = await writeFolder(folder, images);
    const workerCounts = [0, 1, 2];
    const sources = await Promise.all(
      workerCounts.map((workers) =>
        imageFolderSources(folder, [SIZE, SIZE, 3], { testFraction: 0, batchSize: BATCH, workers, seed: 2 }),
      ),
    );
    const model = buildZooModel('mobilenet-v2-imagenet', {
      inputShape: [SIZE, SIZE, 3],
      classes: CLASSES,
      seed: 1,
    });
    const engine = await createEngine(model, { engine: 'onnx', learningRate: 0.01 });
    const decode: Record<string, number[]> = Object.fromEntries(
      workerCounts.map((w) => [`workers_${w}`, []]),
    );
    const train: number[] = [];
    const trainFedByStream: number[] = [];
    const trainSameRun: number[] = [];
    for (let round = 0; round < rounds; round++) {
      console.error(`round ${round + 1}/${rounds}`);
      for (let i = 0; i < workerCounts.length; i++) {
        decode[`workers_${workerCounts[i]}`].push(await drain(sources[i].train, round));
      }
      train.push(await trainInMemory(engine, steps));
      trainFedByStream.push(await trainStreamed(engine, sources[1].train, steps, 100 + round));
      trainSameRun.push(await trainInMemory(engine, steps));
    }
    await Promise.all(sources.map((s) => s.close()));
    engine.dispose();

    console.error(`streaming ${rssImages} images in a child process…`);
    const big = join(root, 'images-x');
    const linked = linkCopies(folder, big, Math.ceil(rssImages / images));
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child-rss', big],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (child.status !== 0) throw new Error(`the RSS child failed: ${child.stderr}`);
    const rss = JSON.parse(child.stdout) as Record<string, number>;

    const trainRate = stats(train).median;
    const decodeAll = stats(decode[`workers_${Math.min(2, availableParallelism())}`]).median;
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      load: { uptimeBefore: loadBefore, uptimeAfter: uptime(), loadAverageAtEnd: loadavg() },
      decoder: '@jsquash/png 3 (Rust png crate, wasm) + @jsquash/jpeg 1 (mozjpeg, wasm)',
      folder: {
        images,
        size: `${SIZE}×${SIZE}×3`,
        formats: 'half PNG (RGB, zlib default), half JPEG (mozjpeg quality 90)',
        meanBytes: { png: written.png / Math.ceil(images / 2), jpeg: written.jpeg / Math.floor(images / 2) },
        writeSeconds: written.seconds,
      },
      unit: 'images per second (median of the rounds, min, max, every run)',
      batch: BATCH,
      rounds,
      decode: Object.fromEntries(Object.entries(decode).map(([k, v]) => [k, stats(v)])),
      training: {
        model: 'MobileNetV2 (Keras layout, alpha 1) at 96×96×3, 10 classes; onnx engine, all cores; SGD',
        inMemory: stats(train),
        fedByStream1Worker: stats(trainFedByStream),
        inMemorySameRounds: stats(trainSameRun),
      },
      ratios: {
        decode2WorkersOverTraining: decodeAll / trainRate,
        decode1WorkerOverTraining: stats(decode.workers_1).median / trainRate,
        streamedOverInMemoryTraining: stats(trainFedByStream).median / stats(trainSameRun).median,
      },
      target:
        'decoding ≥ 2× the training images/s on the same cores; 50k streamed images with peak RSS < 3 GB',
      memory: {
        images: linked,
        inMemoryWouldNeedGiB: (linked * SIZE * SIZE * 3 * 4) / 2 ** 30,
        model:
          '8×8 average pooling + softmax Dense at 96×96×3 (one epoch, onnx engine, batch 64): paced by decoding',
        ...rss,
      },
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'data-throughput.json'), JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify(result, null, 2));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (args[0] === '--child-rss') await rssChild(args[1]);
else await main();
