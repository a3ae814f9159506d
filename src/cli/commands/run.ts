/**
 * `morphnet run`: the main job. Shrink the seed with MorphNet to the shrink budget, prune, expand to the
 * budget and retrain, for N cycles, against the seed and the uniform width-multiplier baseline trained
 * with the same recipe; writes a folder per phase, `summary.json` and `report.html`. With no arguments:
 * zoo:mnist-cnn on the bundled MNIST, FLOPs, one cycle, at the seed's own cost.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { humanCount } from '../../analyze/index.js';
import { hardware as lookupHardware, TARGETS, type Target } from '../../cost/index.js';
import { MorphnetError } from '../../errors.js';
import { finishOutDir, prepareOutDir } from '../../io/out-dir.js';
import { loadSeedModel } from '../model-source.js';
import { parseEngine, positiveInt, positiveNumber } from '../parse-options.js';
import { phaseProgress } from '../progress.js';

interface RunCliOptions {
  model: string;
  data: string;
  target: string;
  hardware?: string;
  budget: string;
  shrinkBudget: string;
  cycles: string;
  shrinkEpochs: string;
  retrainEpochs: string;
  batchSize: string;
  lr: string;
  roundTo: string;
  seed: string;
  engine: string;
  backend?: string;
  limit?: string;
  testLimit?: string;
  out?: string;
  quiet?: boolean;
  json?: boolean;
}

/** Registers the `run` command. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'the full MorphNet cycle: shrink → prune → expand → retrain, against the uniform baseline, with a report',
    )
    .option('--model <model>', 'seed network: model.json or zoo:NAME', 'zoo:mnist-cnn')
    .option(
      '--data <name|dir>',
      'mnist, fashion-mnist, synthetic, or a folder of MNIST-named IDX files',
      'mnist',
    )
    .option('--target <target>', `cost to optimise: ${TARGETS.join(', ')}`, 'flops')
    .option('--hardware <name>', 'hardware of the latency target: K80, P4, T4, P100, V100, TPUv2')
    .option('--budget <X>', "final cost: N% of the seed's cost or an absolute amount (k/M/G)", '100%')
    .option('--shrink-budget <X>', "shrink target: N% of the seed's cost or an absolute amount", '50%')
    .option('--cycles <n>', 'shrink/expand cycles', '1')
    .option('--shrink-epochs <n>', 'epochs of each MorphNet shrink', '1')
    .option('--retrain-epochs <n>', 'epochs of each plain training (seed, uniform, expanded)', '2')
    .option('--batch-size <n>', 'batch size', '64')
    .option('--lr <x>', 'learning rate of the plain trainings (SGD, momentum 0.9)', '0.05')
    .option('--round-to <n>', 'round expanded widths to multiples of n', '1')
    .option('--seed <n>', 'seed of weights, batch order and validation split', '1')
    .option('--engine <name>', 'auto, onnx or tfjs', 'auto')
    .option('--backend <name>', 'tf.js backend: wasm (default in Node), cpu, tensorflow, webgl, webgpu')
    .option('--limit <n>', 'train on the first n training images only')
    .option('--test-limit <n>', 'evaluate on the first n test images only')
    .option('--out <dir>', 'run folder (new, empty, or an unfinished run to resume); default runs/run-<time>')
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (o: RunCliOptions) => {
      if (!(TARGETS as readonly string[]).includes(o.target))
        throw new MorphnetError(`--target "${o.target}": use one of ${TARGETS.join(', ')}.`);
      const target = o.target as Target;
      if (target === 'latency' && !o.hardware)
        throw new MorphnetError('--target latency needs --hardware NAME.');
      if (o.hardware) {
        try {
          lookupHardware(o.hardware);
        } catch (e) {
          throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
        }
      }
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new MorphnetError(`--seed "${o.seed}" must be an integer.`);
      const numbers = {
        cycles: positiveInt(o.cycles, '--cycles'),
        shrinkEpochs: positiveNumber(o.shrinkEpochs, '--shrink-epochs'),
        retrainEpochs: positiveNumber(o.retrainEpochs, '--retrain-epochs'),
        batchSize: positiveInt(o.batchSize, '--batch-size'),
        lr: positiveNumber(o.lr, '--lr'),
        roundTo: positiveInt(o.roundTo, '--round-to'),
        limit: o.limit !== undefined ? positiveInt(o.limit, '--limit') : undefined,
        testLimit: o.testLimit !== undefined ? positiveInt(o.testLimit, '--test-limit') : undefined,
      };
      const engine = parseEngine(o.engine);
      const outDir =
        o.out ??
        path.join('runs', `run-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`);

      const { useBackend, isBackendName } = await import('../../backend/index.js');
      if (o.backend !== undefined && !isBackendName(o.backend))
        throw new MorphnetError(`--backend "${o.backend}": use wasm, cpu, tensorflow, webgl or webgpu.`);
      const { loadDataset, DATASET_NAMES } = await import('../../data/index.js');
      let data;
      try {
        data = await loadDataset(o.data, { limit: numbers.limit, testLimit: numbers.testLimit, seed });
      } catch (e) {
        const known = (DATASET_NAMES as readonly string[]).includes(o.data);
        throw new MorphnetError(known ? `--data ${o.data}: ${(e as Error).message}` : (e as Error).message);
      }
      await useBackend(o.backend as Parameters<typeof useBackend>[0]);
      const model = await loadSeedModel(o.model, seed);
      const { checkDataFitsModel } = await import('../../data/index.js');
      try {
        checkDataFitsModel(data, model.inputs[0].shape, model.outputs[0].shape.at(-1), o.model);
      } catch (e) {
        throw new MorphnetError(`--data ${o.data}: ${(e as Error).message}`);
      }
      const { parseBudget } = await import('../../structure/index.js');
      const { modelFigures, runMorphNet } = await import('../../run/index.js');
      const seedCost = modelFigures(model, target, o.hardware).cost;
      const budget = parseBudget(o.budget, seedCost, '--budget');
      const shrinkBudget = parseBudget(o.shrinkBudget, seedCost, '--shrink-budget');
      if (shrinkBudget >= seedCost)
        throw new MorphnetError(
          `--shrink-budget "${o.shrinkBudget}" is not below the seed's cost ${humanCount(seedCost)}.`,
        );

      const out = await prepareOutDir(outDir, 'run');
      const progress = phaseProgress(Boolean(o.quiet));
      progress.line(
        `morphnet run: ${o.model} on ${data.name}, ${target}; ${out.resumed ? 'resuming' : 'writing'} ${out.dir} (rerun with --out ${outDir} to resume if interrupted)`,
      );
      const result = await runMorphNet(model, {
        data,
        out: out.dir,
        target,
        hardware: o.hardware,
        budget,
        shrinkBudget,
        cycles: numbers.cycles,
        shrinkEpochs: numbers.shrinkEpochs,
        retrainEpochs: numbers.retrainEpochs,
        batchSize: numbers.batchSize,
        learningRate: numbers.lr,
        roundTo: numbers.roundTo,
        seed,
        engine,
        modelLabel: o.model,
        onPhase: (e) => {
          if (e.state === 'skip') progress.line(`${e.phase}: already done`);
          if (e.state === 'done') progress.line(`${e.phase}: ${e.detail ?? 'done'}`);
        },
        onProgress: (phase, p) => progress.update(phase, p, p.cost / seedCost),
        onNotice: (line) => progress.line(line),
      });
      progress.stop();
      await finishOutDir(out.dir);
      const s = result.summary;
      if (o.json) {
        process.stdout.write(
          `${JSON.stringify({ out: out.dir, report: result.reportPath, ...s }, null, 2)}\n`,
        );
        return;
      }
      const row = (label: string, f: { flops: number; params: number; accuracy: number; cost?: number }) =>
        `${label.padEnd(22)} ${humanCount(f.cost ?? f.flops).padStart(9)} ${target}  ${humanCount(f.params).padStart(8)} params  ${(100 * f.accuracy).toFixed(2).padStart(6)}% test accuracy`;
      const lines = [row('seed', s.seed), row('uniform baseline', s.uniform)];
      s.cycles.forEach((c, i) => {
        lines.push(row(`cycle ${i + 1}: shrunk`, c.shrunk), row(`cycle ${i + 1}: expanded`, c.expanded));
      });
      process.stdout.write(`${lines.join('\n')}\nreport: ${result.reportPath}\n`);
    });
}
