/**
 * `morphnet run`: the main job. Shrink the seed with MorphNet to the shrink budget, prune, expand to the
 * budget and retrain, for N cycles, against the seed and the uniform width-multiplier baseline trained
 * with the same recipe; writes a folder per phase, `summary.json` and `report.html`. With no arguments:
 * zoo:mnist-cnn on the bundled MNIST, FLOPs, one cycle, at the seed's own cost.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { humanCount } from '../../analyze/index.js';
import { HARDWARE_NAMES, TARGETS } from '../../cost/index.js';
import { MorphnetError } from '../../errors.js';
import { checkOutDir, finishOutDir, prepareOutDir } from '../../io/out-dir.js';
import { checkDataArg, loadDataArg } from '../data-source.js';
import {
  checkMeasuredFlags,
  loadMeasuredHardware,
  measuredCell,
  remeasureOption,
  threadsOption,
  type MeasuredHardwareFlags,
} from '../measured-hardware.js';
import type { ModelFigures } from '../../report/types.js';
import { loadSeedModel } from '../model-source.js';
import {
  parseBackend,
  parseEngine,
  parseSeed,
  parseTarget,
  positiveInt,
  positiveNumber,
} from '../parse-options.js';
import { phaseProgress } from '../progress.js';

interface RunCliOptions extends MeasuredHardwareFlags {
  model: string;
  onnx?: boolean;
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
    .option('--hardware <name>', `hardware of the latency target: ${HARDWARE_NAMES.join(', ')}`)
    .addOption(threadsOption())
    .addOption(remeasureOption())
    .option('--onnx', "also write model.onnx beside each phase's model.json")
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
      const target = parseTarget(o.target, o.hardware);
      checkMeasuredFlags(o);
      const seed = parseSeed(o.seed);
      const backend = parseBackend(o.backend);
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

      await checkOutDir(outDir, 'run');
      const { useBackend } = await import('../../backend/index.js');
      const data = await loadDataArg(o.data, { limit: numbers.limit, testLimit: numbers.testLimit, seed });
      await useBackend(backend);
      const model = await loadSeedModel(o.model, seed);
      checkDataArg(model, data, o.model, o.data);
      if (o.onnx) (await import('../../export/onnx.js')).checkExportable(model);
      await loadMeasuredHardware(o);
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
        onnx: o.onnx,
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
      const row = (label: string, f: ModelFigures) =>
        `${label.padEnd(22)} ${humanCount(f.cost ?? f.flops).padStart(9)} ${target}  ${humanCount(f.params).padStart(8)} params  ${(100 * f.accuracy).toFixed(2).padStart(6)}% test accuracy${measuredCell(f)}`;
      const lines = [row('seed', s.seed), row('uniform baseline', s.uniform)];
      s.cycles.forEach((c, i) => {
        lines.push(row(`cycle ${i + 1}: shrunk`, c.shrunk), row(`cycle ${i + 1}: expanded`, c.expanded));
      });
      process.stdout.write(`${lines.join('\n')}\nreport: ${result.reportPath}\n`);
    });
}
