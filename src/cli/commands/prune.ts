/** `morphnet prune <model.json> [--threshold t | --structure S] --out DIR`. */
import { loadModelArg } from '../model-source.js';
import { graphFromModel } from '../../graph/index.js';
import path from 'node:path';
import type { Command } from 'commander';
import { HARDWARE_NAMES, TARGETS } from '../../cost/index.js';
import { checkExportable, writeOnnx } from '../../export/onnx.js';
import { MorphnetError } from '../../errors.js';
import { analyzeGroups } from '../../groups/index.js';
import { finishOutDir, prepareOutDir } from '../../io/out-dir.js';
import {
  aliveFromStructure,
  compareCosts,
  formatCostTable,
  pruneModel,
  readStructureFile,
  saveStructuredModel,
} from '../../structure/index.js';
import { loadMeasuredHardware } from '../measured-hardware.js';
import { parseInputShape } from '../parse-options.js';
import { quietTfjs } from '../quiet-tfjs.js';
import { checkHardware, parseTarget, printWarnings } from './expand.js';

interface PruneOpts {
  threshold?: string;
  structure?: string;
  regularizer?: string;
  target: string;
  hardware?: string;
  inputShape?: string;
  out: string;
  json?: boolean;
  onnx?: boolean;
}

/** Registers the `prune` command. */
export function registerPrune(program: Command): void {
  program
    .command('prune')
    .description(
      "remove a trained model's dead channels (its own |γ| ≤ threshold, or a saved structure), copying the weights; writes DIR/model.json + weights and DIR/structure.json",
    )
    .argument('<model>', 'trained model.json (tfjs or Keras-converted, with weights)')
    .option('--threshold <t>', 'a channel is alive when |γ| > t (default 0.01)')
    .option('--structure <file>', 'keep the channels of this structure.json instead')
    .option(
      '--regularizer <kind>',
      'what decides channels: gamma (BN γ) or group-lasso (kernel norms)',
      'gamma',
    )
    .option('--target <T>', `cost recorded in structure.json: ${TARGETS.join(', ')}`, 'flops')
    .option('--hardware <name>', `hardware for latency: ${HARDWARE_NAMES.join(', ')}`)
    .option('--input-shape <H,W,C>', 'fill unknown input sizes')
    .requiredOption('--out <DIR>', 'new or empty output folder')
    .option('--json', 'print a JSON summary on stdout')
    .option('--onnx', 'also write DIR/model.onnx, the pruned model as ONNX (inference)')
    .action(async (modelPath: string, opts: PruneOpts) => {
      if (opts.threshold !== undefined && opts.structure !== undefined)
        throw new MorphnetError('give either --threshold or --structure, not both.');
      let threshold: number | undefined;
      if (opts.threshold !== undefined) {
        threshold = Number(opts.threshold);
        if (!Number.isFinite(threshold) || threshold < 0)
          throw new MorphnetError(`--threshold "${opts.threshold}" must be a number ≥ 0.`);
      }
      if (opts.regularizer !== 'gamma' && opts.regularizer !== 'group-lasso')
        throw new MorphnetError(`--regularizer "${opts.regularizer}" must be gamma or group-lasso.`);
      const target = parseTarget(opts.target);
      checkHardware(target, opts.hardware);
      const inputShape = opts.inputShape ? parseInputShape(opts.inputShape) : undefined;
      const structure = opts.structure ? await readStructureFile(opts.structure) : undefined;

      await quietTfjs();
      const { model } = await loadModelArg(modelPath, { requireWeights: true, what: 'prune', inputShape });
      const graph = graphFromModel(model, { inputShape });
      const groups = analyzeGroups(graph);
      if (structure) aliveFromStructure(structure, graph, groups, { source: opts.structure }); // errors now
      if (opts.onnx) checkExportable(model, { inputShape });
      await loadMeasuredHardware({ hardware: opts.hardware ?? structure?.hardware });

      const out = await prepareOutDir(opts.out, 'prune');
      const result = await pruneModel(model, {
        threshold,
        structure,
        structureSource: opts.structure,
        regularizer: opts.regularizer,
        target: opts.structure ? undefined : target,
        hardware: opts.hardware,
        inputShape,
      });
      await saveStructuredModel(result.model, out.dir, result.structure);
      if (opts.onnx) await writeOnnx(result.model, path.join(out.dir, 'model.onnx'), { inputShape });
      await finishOutDir(out.dir);

      const pruned = graphFromModel(result.model, { inputShape });
      const costs = compareCosts(
        { graph, groups },
        { graph: pruned, groups: analyzeGroups(pruned) },
        opts.hardware,
      );
      printWarnings(result.warnings);
      if (opts.json) {
        const summary = {
          command: 'prune',
          out: out.dir,
          target: result.structure.target,
          threshold: result.structure.threshold,
          alive: result.structure.alive,
          cost: costs,
          folds: result.folds,
          maxDifference: result.maxDifference,
          warnings: result.warnings,
        };
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatCostTable(costs, result.structure.target)}\n`);
        process.stdout.write(
          `wrote ${out.dir}/model.json${opts.onnx ? ', model.onnx' : ''} and structure.json\n`,
        );
      }
    });
}
