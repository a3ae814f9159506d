/**
 * `morphnet train <model> --data D --target T [--budget X | --strength λ] --out DIR`: MorphNet's shrink
 * phase. Every input is checked before the engine loads or progress starts; then the model trains with
 * the cost-weighted regularizer (λ adapted to the budget, or fixed) and DIR receives model.json + weights,
 * structure.json, history.json and checkpoints/ (an interrupted run in DIR resumes).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type * as tfType from '@tensorflow/tfjs';
import { hardware as lookupHardware, TARGETS, TARGET_UNITS, type Target } from '../../cost/index.js';
import { MorphnetError } from '../../errors.js';
import { OUT_MARKER, finishOutDir, prepareOutDir } from '../../io/out-dir.js';

interface TrainCliOptions {
  data: string;
  target: string;
  hardware?: string;
  budget?: string;
  strength?: string;
  threshold: string;
  epochs?: string;
  steps?: string;
  batchSize: string;
  lr: string;
  engine: string;
  backend?: string;
  seed: string;
  out: string;
  json?: boolean;
  limit?: string;
}

function positiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new MorphnetError(`${option} "${value}" must be a positive integer.`);
  return n;
}

function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new MorphnetError(`${option} "${value}" must be a positive number.`);
  return n;
}

/** `--out` must be new, an empty folder, or our own unfinished train run: checked without touching it. */
async function checkOut(dir: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) return;
  if (!stat.isDirectory())
    throw new MorphnetError(`--out ${dir}: is an existing file; give a new or empty folder.`);
  const entries = await fs.readdir(dir);
  if (entries.length > 0 && !entries.includes(OUT_MARKER))
    throw new MorphnetError(`--out ${dir}: is a folder with other files in it; give a new or empty folder.`);
}

/** Every option checked and converted, before anything loads. */
function parseOptions(o: TrainCliOptions) {
  if (!(TARGETS as readonly string[]).includes(o.target))
    throw new MorphnetError(`--target "${o.target}": use one of ${TARGETS.join(', ')}.`);
  const target = o.target as Target;
  if (target === 'latency' && !o.hardware) throw new MorphnetError('--target latency needs --hardware NAME.');
  if (o.hardware) {
    try {
      lookupHardware(o.hardware);
    } catch (e) {
      throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
    }
  }
  if (o.budget !== undefined && o.strength !== undefined)
    throw new MorphnetError('give either --budget or --strength, not both.');
  if (o.budget === undefined && o.strength === undefined)
    throw new MorphnetError('give --budget (e.g. 50%) or --strength λ.');
  const strength = o.strength !== undefined ? Number(o.strength) : undefined;
  if (strength !== undefined && !(strength >= 0 && Number.isFinite(strength)))
    throw new MorphnetError(`--strength "${o.strength}" must be a number ≥ 0.`);
  if (o.epochs !== undefined && o.steps !== undefined)
    throw new MorphnetError('give either --epochs or --steps, not both.');
  if (!['auto', 'onnx', 'tfjs'].includes(o.engine))
    throw new MorphnetError(`--engine "${o.engine}": use auto, onnx or tfjs.`);
  const seed = Number(o.seed);
  if (!Number.isInteger(seed)) throw new MorphnetError(`--seed "${o.seed}" must be an integer.`);
  return {
    target,
    strength,
    threshold: positiveNumber(o.threshold, '--threshold'),
    epochs: o.epochs !== undefined ? positiveNumber(o.epochs, '--epochs') : undefined,
    steps: o.steps !== undefined ? positiveInt(o.steps, '--steps') : undefined,
    batchSize: positiveInt(o.batchSize, '--batch-size'),
    lr: positiveNumber(o.lr, '--lr'),
    engine: o.engine as 'auto' | 'onnx' | 'tfjs',
    seed,
    limit: o.limit !== undefined ? positiveInt(o.limit, '--limit') : undefined,
  };
}

/** Loads the model argument: `zoo:NAME` (fresh weights from the seed) or a model.json on disk. */
async function loadModelArg(spec: string, seed: number): Promise<tfType.LayersModel> {
  if (spec.startsWith('zoo:')) {
    const { buildZooModel } = await import('../../zoo/index.js');
    try {
      return buildZooModel(spec.slice(4), { seed });
    } catch (e) {
      throw new MorphnetError(`${spec}: ${(e as Error).message}.`);
    }
  }
  const { loadModel } = await import('../../io/index.js');
  try {
    return await loadModel(spec);
  } catch (e) {
    throw new MorphnetError((e as Error).message.replace(/\.?$/, '.'));
  }
}

/** Registers the `train` command. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description("MorphNet's shrink phase: train with the cost-weighted regularizer toward a budget")
    .argument('<model>', 'model.json (with or without weights) or zoo:NAME')
    .requiredOption(
      '--data <name|dir>',
      'mnist, fashion-mnist, synthetic, or a folder of MNIST-named IDX files',
    )
    .requiredOption('--target <target>', `cost to shrink: ${TARGETS.join(', ')}`)
    .option('--hardware <name>', 'hardware of the latency target: K80, P4, T4, P100, V100, TPUv2')
    .option('--budget <X>', "the shrink target: N% of the model's cost, or an absolute amount (k/M/G)")
    .option('--strength <lambda>', "a fixed regularization strength λ instead of a budget (morph-net's way)")
    .option('--threshold <t>', 'a channel is alive while its |γ| (or kernel RMS) is above t', '0.01')
    .option('--epochs <n>', 'length of the run in epochs (default 1)')
    .option('--steps <n>', 'length of the run in steps')
    .option('--batch-size <n>', 'batch size', '64')
    .option('--lr <x>', 'fixed learning rate (SGD, momentum 0.9)', '0.05')
    .option('--engine <name>', 'auto, onnx or tfjs', 'auto')
    .option('--backend <name>', 'tf.js backend: wasm (default in Node), cpu, tensorflow, webgl, webgpu')
    .option('--seed <n>', 'seed of the weights (zoo), the batch order and the validation split', '1')
    .option('--limit <n>', 'train on the first n training images only')
    .requiredOption('--out <dir>', 'output folder (new, empty, or an unfinished run to resume)')
    .option('--json', 'print a JSON summary on stdout')
    .action(async (modelSpec: string, o: TrainCliOptions) => {
      const opts = parseOptions(o);
      await checkOut(o.out);
      const { useBackend, isBackendName } = await import('../../backend/index.js');
      if (o.backend !== undefined && !isBackendName(o.backend))
        throw new MorphnetError(`--backend "${o.backend}": use wasm, cpu, tensorflow, webgl or webgpu.`);
      const { loadDataset, splitValidation, subset, DATASET_NAMES } = await import('../../data/index.js');
      let dataset;
      try {
        dataset = await loadDataset(o.data, { limit: opts.limit });
      } catch (e) {
        const known = (DATASET_NAMES as readonly string[]).includes(o.data);
        throw new MorphnetError(known ? `--data ${o.data}: ${(e as Error).message}` : (e as Error).message);
      }
      await useBackend(o.backend as Parameters<typeof useBackend>[0]);
      const model = await loadModelArg(modelSpec, opts.seed);
      const want = model.inputs[0].shape.slice(1);
      const units = model.outputs[0].shape[model.outputs[0].shape.length - 1];
      const got = dataset.imageShape;
      if (want.length !== 3 || want.some((d, i) => d !== null && d !== got[i])) {
        throw new MorphnetError(
          `--data ${o.data}: images are ${got.join('×')}, but ${modelSpec} takes ${want.map((d) => d ?? '?').join('×')}.`,
        );
      }
      if (units !== dataset.classes) {
        throw new MorphnetError(
          `--data ${o.data}: has ${dataset.classes} classes, but ${modelSpec} outputs ${String(units)}.`,
        );
      }
      const { graphFromModel } = await import('../../graph/index.js');
      const { createRegularizer } = await import('../../regularizers/index.js');
      const { parseTrainBudget } = await import('../../train/budget.js');
      const graph = graphFromModel(model);
      const probe = createRegularizer(graph, opts.target, {
        threshold: opts.threshold,
        hardware: o.hardware,
      });
      if (probe.sources.length === 0)
        throw new MorphnetError(
          `${modelSpec}: has no BatchNorm γ or conv/dense kernel on a prunable channel.`,
        );
      const budget =
        o.budget !== undefined
          ? parseTrainBudget(o.budget, probe.initialCost, TARGET_UNITS[opts.target])
          : undefined;
      const { train: trainSplit, validation } = splitValidation(dataset.train, 1 / 12, opts.seed);
      const test = dataset.test.count > 0 ? dataset.test : subset(validation, []);

      const out = await prepareOutDir(o.out, 'train');
      const { trainMorphNet } = await import('../../train/index.js');
      const { writeHistory, writeStructure } = await import('../../train/outputs.js');
      const { saveModel } = await import('../../io/index.js');
      const { SingleBar } = (await import('cli-progress')).default;
      const bar = new SingleBar({
        format:
          'train |{bar}| {value}/{total} steps | loss {loss} | cost {cost} | acc {acc} | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 10000,
      });
      let started = false;
      const notices: string[] = [];
      const result = await trainMorphNet(model, {
        data: { train: trainSplit, validation, test: test.count > 0 ? test : undefined },
        target: opts.target,
        hardware: o.hardware,
        budget,
        strength: opts.strength,
        threshold: opts.threshold,
        epochs: opts.epochs,
        steps: opts.steps,
        batchSize: opts.batchSize,
        learningRate: opts.lr,
        engine: opts.engine,
        seed: opts.seed,
        checkpointDir: out.dir,
        onNotice: (line) => {
          notices.push(line);
          if (started) bar.stop();
          process.stderr.write(`${line}\n`);
        },
        onProgress: (p) => {
          const payload = {
            loss: p.loss.toFixed(3),
            cost: `${((100 * p.cost) / probe.initialCost).toFixed(1)}%`,
            acc: p.accuracy === undefined ? '-' : `${(100 * p.accuracy).toFixed(1)}%`,
          };
          if (!started) {
            started = true;
            bar.start(p.totalSteps, p.step, payload);
          } else bar.update(p.step, payload);
        },
      });
      if (started) bar.stop();
      await saveModel(model, out.dir);
      await writeStructure(out.dir, result.regularizer, result.alive);
      await writeHistory(out.dir, result.history);
      await finishOutDir(out.dir);
      const summary = {
        out: path.resolve(out.dir),
        engine: result.engine,
        resumedFrom: result.resumedFrom ?? null,
        steps: result.steps,
        target: opts.target,
        regularizer: result.regularizer.name,
        initialCost: result.initialCost,
        budget: budget ?? null,
        cost: result.cost,
        costFraction: result.cost / result.initialCost,
        budgetMet: budget === undefined ? null : result.cost <= 1.05 * budget,
        lambda: result.lambda,
        validationAccuracy: result.validationAccuracy,
        testAccuracy: result.testAccuracy ?? null,
        alive: result.aliveByLayer,
        warnings: notices,
      };
      if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else {
        const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
        process.stderr.write(
          `morphnet: ${opts.target} ${pct(summary.costFraction)} of the start (${result.cost.toPrecision(4)} ${TARGET_UNITS[opts.target]})` +
            `${budget !== undefined ? `, budget ${summary.budgetMet ? 'met' : 'NOT met'}` : ''}; test accuracy ${summary.testAccuracy === null ? '-' : pct(summary.testAccuracy)}; wrote ${out.dir}\n`,
        );
      }
      if (budget !== undefined && !summary.budgetMet) process.exitCode = 3;
    });
}
