/**
 * `morphnet train <model> --data D --target T [--budget X | --strength λ] --out DIR`: MorphNet's shrink
 * phase. Every input is checked before the engine loads or progress starts; then the model trains with
 * the cost-weighted regularizer (λ adapted to the budget, or fixed) and DIR receives model.json + weights,
 * structure.json, history.json and checkpoints/ (an interrupted run in DIR resumes).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { HARDWARE_NAMES, TARGETS, TARGET_UNITS } from '../../cost/index.js';
import { MorphnetError } from '../../errors.js';
import { checkOutDir, finishOutDir, prepareOutDir } from '../../io/out-dir.js';
import { checkDataArg, loadDataArg } from '../data-source.js';
import {
  checkMeasuredFlags,
  loadMeasuredHardware,
  remeasureOption,
  threadsOption,
  type MeasuredHardwareFlags,
} from '../measured-hardware.js';
import { loadSeedModel } from '../model-source.js';
import {
  parseBackend,
  parseEngine,
  parseSeed,
  parseTarget,
  positiveInt,
  positiveNumber,
} from '../parse-options.js';

interface TrainCliOptions extends MeasuredHardwareFlags {
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

/** Every option checked and converted, before anything loads. */
function parseOptions(o: TrainCliOptions) {
  const target = parseTarget(o.target, o.hardware);
  checkMeasuredFlags(o);
  if (o.budget !== undefined && o.strength !== undefined)
    throw new MorphnetError('give either --budget or --strength, not both.');
  if (o.budget === undefined && o.strength === undefined)
    throw new MorphnetError('give --budget (e.g. 50%) or --strength λ.');
  const strength = o.strength !== undefined ? Number(o.strength) : undefined;
  if (strength !== undefined && !(strength >= 0 && Number.isFinite(strength)))
    throw new MorphnetError(`--strength "${o.strength}" must be a number ≥ 0.`);
  if (o.epochs !== undefined && o.steps !== undefined)
    throw new MorphnetError('give either --epochs or --steps, not both.');
  const engine = parseEngine(o.engine);
  const seed = parseSeed(o.seed);
  const backend = parseBackend(o.backend);
  return {
    target,
    strength,
    threshold: positiveNumber(o.threshold, '--threshold'),
    epochs: o.epochs !== undefined ? positiveNumber(o.epochs, '--epochs') : undefined,
    steps: o.steps !== undefined ? positiveInt(o.steps, '--steps') : undefined,
    batchSize: positiveInt(o.batchSize, '--batch-size'),
    lr: positiveNumber(o.lr, '--lr'),
    engine,
    backend,
    seed,
    limit: o.limit !== undefined ? positiveInt(o.limit, '--limit') : undefined,
  };
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
    .option('--hardware <name>', `hardware of the latency target: ${HARDWARE_NAMES.join(', ')}`)
    .addOption(threadsOption())
    .addOption(remeasureOption())
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
      await checkOutDir(o.out, 'train');
      const { useBackend } = await import('../../backend/index.js');
      const { splitValidation, subset } = await import('../../data/index.js');
      const dataset = await loadDataArg(o.data, { limit: opts.limit });
      await useBackend(opts.backend);
      const model = await loadSeedModel(modelSpec, opts.seed);
      checkDataArg(model, dataset, modelSpec, o.data);
      await loadMeasuredHardware(o);
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
