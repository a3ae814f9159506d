/**
 * Training-engine benchmark: examples/s of one training step (batch 64, median after warm-up) for net A,
 * net B, ResNet-20 and MobileNetV2 (zoo models, default inputs): the `onnx` engine at 1 and 2 threads and
 * at its default, the `tfjs` engine on wasm, and PyTorch CPU at 1 and 2 threads (default malloc and glibc
 * malloc thresholds raised) measured in the same run; plus graph generation and session creation times
 * for regenerated (pruned) graphs. Writes bench/results/engine.json.
 *
 * Run: npx tsx bench/engine.ts [--steps 20] [--rounds 3] [--nets net-a,net-b] [--no-torch] [--no-tfjs]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../src/backend/index.js';
import { createEngine, TfjsEngine, type Engine } from '../src/engine/index.js';
import { compile } from '../src/engine/onnx/compile.js';
import { planModel } from '../src/engine/onnx/plan.js';
import { createSession, detectNchwcBlock, loadOrt } from '../src/engine/onnx/runtime.js';
import { graphFromModel } from '../src/graph/index.js';
import { buildZooModel } from '../src/zoo/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const STEPS = Number(arg('steps', '20'));
const ROUNDS = Number(arg('rounds', '3'));
const BATCH = 64;
const NETS = arg('nets', 'net-a,net-b,resnet20,mobilenet-v2').split(',');
const PYTHON = '/usr/bin/python3';
const TUNED_MALLOC = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 2 ** 20),
  MALLOC_TRIM_THRESHOLD_: String(16 * 2 ** 30),
  MALLOC_TOP_PAD_: String(512 * 2 ** 20),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function batchFor(model: tf.LayersModel): { xs: tf.Tensor; ys: tf.Tensor } {
  const shape = model.inputs[0].shape.slice(1) as number[];
  const classes = model.outputs[0].shape[1] as number;
  return tf.tidy(() => ({
    xs: tf.randomNormal([BATCH, ...shape], 0, 1, 'float32', 1),
    ys: tf.oneHot(tf.randomUniform([BATCH], 0, classes, 'int32', 2), classes).toFloat(),
  }));
}

/** Median step time (ms) of an engine after warm-up. */
async function timeSteps(
  engine: Engine,
  xs: tf.Tensor,
  ys: tf.Tensor,
  warmup: number,
  steps: number,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await engine.step(xs, ys);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await engine.step(xs, ys);
    times.push(performance.now() - t);
  }
  return median(times);
}

function torchAvailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function torchRun(graphJson: string, threads: number, tuned: boolean, steps: number): number | null {
  const r = spawnSync(
    PYTHON,
    [join(here, 'engine_torch.py'), String(threads), String(BATCH), '5', String(steps)],
    {
      input: graphJson,
      encoding: 'utf8',
      env: { ...process.env, ...(tuned ? TUNED_MALLOC : {}), OMP_NUM_THREADS: String(threads) },
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) {
    console.error(`PyTorch run failed: ${r.stderr.trim().split('\n').pop()}`);
    return null;
  }
  return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { examplesPerSecond: number }).examplesPerSecond;
}

function graphJson(model: tf.LayersModel): string {
  const g = graphFromModel(model);
  return JSON.stringify({
    ops: g.ops,
    inputs: g.inputs,
    outputs: g.outputs,
    inputShape: g.tensors.get(g.inputs[0])!.shape,
    classes: g.tensors.get(g.outputs[0])!.shape[0],
  });
}

/** A net-A-shaped model with the given widths (what pruning produces). */
function prunedNetA(widths: number[]): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] });
  let x: tf.SymbolicTensor = input;
  widths.forEach((w, i) => {
    x = tf.layers
      .conv2d({ name: `conv${i}`, filters: w, kernelSize: 3, padding: 'same', useBias: false })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `conv${i}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `conv${i}_relu` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'fc', units: 10 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function main(): Promise<void> {
  await useBackend('wasm');
  const torchVersion = args.includes('--no-torch') ? null : torchAvailable();
  const notes: string[] = [];
  if (!torchVersion) {
    notes.push(`PyTorch columns skipped: ${PYTHON} cannot import torch (apt-get install -y python3-torch).`);
    console.error(notes[notes.length - 1]);
  }
  const ort = await loadOrt();
  const results: Record<string, Record<string, number | null>> = {};
  for (const name of NETS) {
    const model = buildZooModel(name, { seed: 1 });
    const { xs, ys } = batchFor(model);
    const row: Record<string, number | null> = {};
    const rounds: Record<string, number[]> = {};
    const record = (key: string, v: number | null) => {
      if (v === null) return;
      (rounds[key] ??= []).push(v);
    };
    const engines = {
      onnx_1t: await createEngine(model, { engine: 'onnx', threads: 1, learningRate: 0.01 }),
      onnx_2t: await createEngine(model, { engine: 'onnx', threads: 2, learningRate: 0.01 }),
      onnx_default: await createEngine(model, { engine: 'onnx', learningRate: 0.01 }),
      onnx_2t_plain_conv: await createEngine(model, {
        engine: 'onnx',
        threads: 2,
        nchwc: false,
        learningRate: 0.01,
      }),
    };
    const json = graphJson(model);
    // Rounds interleave the configurations so that load from other processes hits them alike; each
    // configuration reports its best round (a median of STEPS steps).
    for (let r = 0; r < ROUNDS; r++) {
      for (const [key, engine] of Object.entries(engines)) {
        record(key, BATCH / ((await timeSteps(engine, xs, ys, r === 0 ? 3 : 1, STEPS)) / 1000));
      }
      if (torchVersion) {
        for (const threads of [1, 2]) {
          record(`torch_${threads}t`, torchRun(json, threads, false, STEPS));
          record(`torch_${threads}t_tuned_malloc`, torchRun(json, threads, true, STEPS));
        }
      }
    }
    for (const engine of Object.values(engines)) engine.dispose();
    if (!args.includes('--no-tfjs')) {
      try {
        const engine = new TfjsEngine(model, { learningRate: 0.01 });
        const ms = await timeSteps(engine, xs, ys, 1, Math.max(3, Math.round(STEPS / 5)));
        record('tfjs_wasm', BATCH / (ms / 1000));
        engine.dispose();
      } catch (e) {
        notes.push(`${name}: tfjs on wasm failed (${(e as Error).message.split('\n')[0]}).`);
      }
    }
    for (const [key, values] of Object.entries(rounds)) row[key] = Math.max(...values);
    const best = (a: number | null | undefined, b: number | null | undefined) =>
      a == null ? (b ?? null) : b == null ? a : Math.max(a, b);
    const torch2 = best(row['torch_2t'], row['torch_2t_tuned_malloc']);
    const torch1 = best(row['torch_1t'], row['torch_1t_tuned_malloc']);
    row['ratio_onnx_vs_torch_2t'] = torch2 ? row['onnx_2t']! / torch2 : null;
    row['ratio_onnx_vs_torch_1t'] = torch1 ? row['onnx_1t']! / torch1 : null;
    row['ratio_onnx_default_vs_tfjs_wasm'] = row['tfjs_wasm']
      ? row['onnx_default']! / row['tfjs_wasm']
      : null;
    results[name] = row;
    console.log(
      name,
      JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v)),
    );
    xs.dispose();
    ys.dispose();
  }

  // Regeneration: graph generation and session creation for pruned widths (not the first in the process).
  const opt = {
    kind: 'sgd' as const,
    momentum: 0.9,
    nesterov: false,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    weightDecay: 0,
  };
  const block = await detectNchwcBlock(ort);
  const compileMs: number[] = [];
  const sessionMs: number[] = [];
  const widthSets = [
    [32, 32, 32, 32],
    [29, 17, 22, 9],
    [31, 25, 20, 12],
    [16, 16, 8, 8],
    [30, 30, 28, 27],
    [12, 24, 20, 5],
  ];
  for (const widths of widthSets) {
    const plan = planModel(graphFromModel(prunedNetA(widths)));
    let t = performance.now();
    const compiled = compile(plan, 'step', opt, new Set(), block);
    compileMs.push(performance.now() - t);
    t = performance.now();
    const session = await createSession(ort, compiled.bytes, availableParallelism());
    sessionMs.push(performance.now() - t);
    await session.release();
  }
  const regeneration = {
    firstSessionMs: sessionMs[0],
    medianCompileMs: median(compileMs.slice(1)),
    medianSessionMs: median(sessionMs.slice(1)),
  };
  console.log('regeneration', JSON.stringify(regeneration));

  const ratio = (n: string, k: string) => results[n]?.[k] ?? null;
  const targets = {
    'net-a onnx ≥ 0.75× PyTorch (2 threads)': ratio('net-a', 'ratio_onnx_vs_torch_2t'),
    'net-b onnx ≥ 1.0× PyTorch (2 threads)': ratio('net-b', 'ratio_onnx_vs_torch_2t'),
    'every net onnx ≥ 4× tfjs wasm': Object.fromEntries(
      NETS.map((n) => [n, ratio(n, 'ratio_onnx_default_vs_tfjs_wasm')]),
    ),
    'regenerated session creation ≤ 50 ms': regeneration.medianSessionMs,
  };
  const load = (await import('node:os')).loadavg();
  const out = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadAverageAtEnd: load, node: process.version },
    nchwcBlock: await detectNchwcBlock(ort),
    versions: { onnxruntimeNode: ort.env.versions?.node ?? null, torch: torchVersion, tfjs: tf.version.tfjs },
    batch: BATCH,
    steps: STEPS,
    unit: 'training examples per second: best of the rounds of a median step after warm-up; ratios are onnx / best PyTorch malloc setting',
    rounds: ROUNDS,
    results,
    regeneration,
    targets,
    notes,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'engine.json'), JSON.stringify(out, null, 2) + '\n');
  console.log('wrote bench/results/engine.json');
}

await main();
