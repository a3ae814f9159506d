/**
 * Training and inference throughput (examples/s) per tf.js backend, side by side in one run:
 * `cpu` (pure JS) and `wasm` (XNNPACK, one thread, with morphnet's training kernels), on the
 * CIFAR-shaped net-a, the MNIST CNN, ResNet-20 and MobileNetV2 (32×32), all from the zoo.
 *
 *   npx tsx bench/train-throughput.ts [--models net-a,mnist-cnn] [--quick]
 *
 * Writes bench/results/train-throughput.json. The cpu backend is 2–3 orders of magnitude slower,
 * so its column uses a smaller batch and a single timed step (reported as examples/s all the same).
 * The machine may be shared: the load average before and after is recorded with the figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../src/backend/index.js';
import { buildZooModel, zooDefaults } from '../src/zoo/index.js';

type Backend = 'cpu' | 'wasm';
interface Row {
  model: string;
  backend: Backend;
  mode: 'train' | 'inference';
  batch: number;
  steps: number;
  seconds: number;
  /** CPU time this process used over the timed steps (user + system). */
  cpuSeconds: number;
  examplesPerSecond: number;
  /** Examples per CPU-second: what one dedicated core gives, whatever else runs on the machine. */
  examplesPerCpuSecond: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const modelsArg = args.indexOf('--models');
const models =
  modelsArg >= 0 ? args[modelsArg + 1].split(',') : ['net-a', 'mnist-cnn', 'resnet20', 'mobilenet-v2'];

/** Batch sizes and step counts per backend: wasm at the batch 64, cpu small enough to finish. */
const plan: Record<
  Backend,
  { trainBatch: number; inferBatch: number; minSeconds: number; maxSteps: number }
> = {
  wasm: { trainBatch: 64, inferBatch: 64, minSeconds: quick ? 2 : 8, maxSteps: quick ? 3 : 20 },
  cpu: { trainBatch: 2, inferBatch: quick ? 4 : 8, minSeconds: 0, maxSteps: 1 },
};

/**
 * wasm training batch per model where 64 does not fit: tfjs-backend-wasm is wasm32, its heap stops at
 * 4 GiB, and MobileNetV2 (32×32) keeps about 115 MiB per example for the backward pass (batch 32
 * peaks at 3.7 GiB, batch 64 aborts in malloc).
 */
const wasmTrainBatch: Record<string, number> = { 'mobilenet-v2': 16 };

function batchFor(name: string, n: number): { xs: tf.Tensor; ys: tf.Tensor } {
  const { inputShape, classes } = zooDefaults(name);
  return tf.tidy(() => ({
    xs: tf.randomUniform([n, ...inputShape], 0, 1, 'float32', 7),
    ys: tf
      .oneHot(
        tf.tensor1d(
          Array.from({ length: n }, (_, i) => i % classes),
          'int32',
        ),
        classes,
      )
      .toFloat(),
  }));
}

/** Runs `step` (after `warmup` untimed runs) until `minSeconds` have passed or `maxSteps` ran. */
async function timeSteps(
  step: () => Promise<void>,
  warmup: number,
  minSeconds: number,
  maxSteps: number,
): Promise<{ steps: number; seconds: number; cpuSeconds: number }> {
  for (let i = 0; i < warmup; i++) await step();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let steps = 0;
  while (steps < maxSteps && (steps === 0 || (performance.now() - t0) / 1000 < minSeconds)) {
    await step();
    steps++;
  }
  const c = process.cpuUsage(c0);
  return { steps, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}

async function measure(name: string, backend: Backend): Promise<Row[]> {
  await useBackend(backend);
  const p = plan[backend];
  const model = buildZooModel(name, { seed: 1 });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  const rows: Row[] = [];
  const warmup = backend === 'wasm' ? 1 : 0;

  const trainBatch = backend === 'wasm' ? (wasmTrainBatch[name] ?? p.trainBatch) : p.trainBatch;
  const train = batchFor(name, trainBatch);
  const t = await timeSteps(
    async () => {
      await model.trainOnBatch(train.xs, train.ys);
    },
    warmup,
    p.minSeconds,
    p.maxSteps,
  );
  rows.push({
    model: name,
    backend,
    mode: 'train',
    batch: trainBatch,
    ...t,
    examplesPerSecond: (t.steps * trainBatch) / t.seconds,
    examplesPerCpuSecond: (t.steps * trainBatch) / t.cpuSeconds,
  });
  tf.dispose([train.xs, train.ys]);

  const infer = batchFor(name, p.inferBatch);
  const i = await timeSteps(
    async () => {
      const y = model.predict(infer.xs) as tf.Tensor;
      await y.data();
      y.dispose();
    },
    warmup,
    p.minSeconds / 2,
    p.maxSteps,
  );
  rows.push({
    model: name,
    backend,
    mode: 'inference',
    batch: p.inferBatch,
    ...i,
    examplesPerSecond: (i.steps * p.inferBatch) / i.seconds,
    examplesPerCpuSecond: (i.steps * p.inferBatch) / i.cpuSeconds,
  });
  tf.dispose([infer.xs, infer.ys]);
  model.dispose();
  for (const r of rows.slice(-2)) {
    console.log(
      `${r.model.padEnd(14)} ${r.backend.padEnd(5)} ${r.mode.padEnd(9)} batch ${String(r.batch).padStart(3)}  ` +
        `${r.examplesPerSecond.toFixed(2).padStart(9)} ex/s  ${r.examplesPerCpuSecond.toFixed(2).padStart(9)} ex/cpu-s  ` +
        `(${r.steps} steps, ${r.seconds.toFixed(1)} s)`,
    );
  }
  return rows;
}

const loadBefore = os.loadavg();
const rows: Row[] = [];
for (const name of models) {
  for (const backend of ['wasm', 'cpu'] as const) rows.push(...(await measure(name, backend)));
}
const loadAfter = os.loadavg();

const ratio = (model: string, mode: Row['mode']): number => {
  const w = rows.find((r) => r.model === model && r.backend === 'wasm' && r.mode === mode);
  const c = rows.find((r) => r.model === model && r.backend === 'cpu' && r.mode === mode);
  return w && c ? w.examplesPerSecond / c.examplesPerSecond : NaN;
};
const wasmTrain = (model: string): Row | undefined =>
  rows.find((r) => r.model === model && r.backend === 'wasm' && r.mode === 'train');
const trainEps = (model: string): number => wasmTrain(model)?.examplesPerSecond ?? NaN;
const trainEpcs = (model: string): number => wasmTrain(model)?.examplesPerCpuSecond ?? NaN;
const summary = Object.fromEntries(
  models.map((m) => [
    m,
    {
      wasmTrain: trainEps(m),
      wasmTrainPerCpuSecond: trainEpcs(m),
      trainSpeedup: ratio(m, 'train'),
      inferenceSpeedup: ratio(m, 'inference'),
    },
  ]),
);
/** Targets on one core: judged on examples per CPU-second (the machine may be shared), wall clock beside. */
const targets = {
  'net-a wasm train >= 70 ex/s (per CPU-second)': trainEpcs('net-a') >= 70,
  'net-a wasm train >= 70 ex/s (wall clock)': trainEps('net-a') >= 70,
  'mnist-cnn wasm train >= 700 ex/s (per CPU-second)': trainEpcs('mnist-cnn') >= 700,
  'mnist-cnn wasm train >= 700 ex/s (wall clock)': trainEps('mnist-cnn') >= 700,
  'every model wasm train >= 20x cpu': models.every((m) => ratio(m, 'train') >= 20),
};
const result = {
  date: new Date().toISOString(),
  node: process.version,
  tfjs: tf.version.tfjs,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  wasmThreads: 1,
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadAfter,
  note:
    'examples/s; wasm at batch 64 (MobileNetV2: 16, the wasm32 heap limit), 1 warm-up step, then steps for ' +
    'at least a few seconds; cpu with a ' +
    'small batch and one timed step (it is 100-1000x slower). Random data, SGD lr 0.01, training-mode BN. ' +
    'examplesPerCpuSecond divides by the CPU time of this process, i.e. the rate of one dedicated core.',
  rows,
  summary,
  targets,
};
const here = path.dirname(fileURLToPath(import.meta.url));
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results', 'train-throughput.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ summary, targets }, null, 2));
