/** `morphnet analyze <model> [--input-shape H,W,C] [--json] [--hardware NAME]`. */
import type { Command } from 'commander';
import { analyzeGraph, formatAnalysis } from '../../analyze/index.js';
import { hardware } from '../../cost/index.js';
import { MorphnetError } from '../../errors.js';
import { loadGraph } from '../model-source.js';
import { parseInputShape } from '../parse-options.js';
import { printable } from '../printable.js';

/** Registers the `analyze` command. */
export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description(
      'cost of a model layer by layer (FLOPs, MACs, params, latency) and its prunable channel groups',
    )
    .argument('<model>', 'model.json (tfjs or Keras-converted) or zoo:NAME')
    .option('--input-shape <H,W,C>', 'fill unknown input sizes')
    .option('--json', 'print one JSON object on stdout')
    .option(
      '--hardware <name>',
      'add per-layer latency (ns) on this hardware: K80, P4, T4, P100, V100, TPUv2',
    )
    .action(async (model: string, opts: { inputShape?: string; json?: boolean; hardware?: string }) => {
      if (opts.hardware) {
        try {
          hardware(opts.hardware);
        } catch (e) {
          throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
        }
      }
      const inputShape = opts.inputShape ? parseInputShape(opts.inputShape) : undefined;
      const graph = await loadGraph(model, { inputShape });
      const report = analyzeGraph(graph, { hardware: opts.hardware });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(`${printable(formatAnalysis(report))}\n`);
    });
}
