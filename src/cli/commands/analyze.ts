/**
 * `morphnet analyze <model> [--input-shape H,W,C] [--json] [--hardware NAME [--measure [--runs N]]]`:
 * per-layer FLOPs, parameters and latency; `--measure` times the whole model on a measured runtime.
 */
import type { Command } from 'commander';
import { analyzeGraph, formatAnalysis, withMeasurement } from '../../analyze/index.js';
import { hardware, HARDWARE_NAMES, isMeasuredName, MEASURED_HARDWARE } from '../../cost/index.js';
import { MorphnetError } from '../../errors.js';
import {
  checkMeasuredFlags,
  loadMeasuredHardware,
  measuredHardwareOptions,
  type MeasuredHardwareFlags,
} from '../measured-hardware.js';
import { loadGraph, loadModelArg } from '../model-source.js';
import { parseInputShape, positiveInt } from '../parse-options.js';

interface AnalyzeOpts extends MeasuredHardwareFlags {
  inputShape?: string;
  json?: boolean;
  measure?: boolean;
  runs?: string;
}

/** Checks the options before any work: hardware name, `--measure` and its companions. */
function checkOptions(opts: AnalyzeOpts): number {
  if (opts.hardware && !isMeasuredName(opts.hardware)) {
    try {
      hardware(opts.hardware);
    } catch (e) {
      throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
    }
  }
  checkMeasuredFlags(opts);
  const measured = opts.hardware !== undefined && isMeasuredName(opts.hardware);
  if (opts.measure && !measured)
    throw new MorphnetError(`--measure needs a measured --hardware (${MEASURED_HARDWARE.join(' or ')}).`);
  if (opts.runs !== undefined && !opts.measure) throw new MorphnetError('--runs applies to --measure.');
  return opts.runs !== undefined ? positiveInt(opts.runs, '--runs') : 50;
}

/** Registers the `analyze` command. */
export function registerAnalyze(program: Command): void {
  const command = program
    .command('analyze')
    .description(
      'cost of a model layer by layer (FLOPs, MACs, params, latency) and its prunable channel groups',
    )
    .argument('<model>', 'model.json (tfjs or Keras-converted) or zoo:NAME')
    .option('--input-shape <H,W,C>', 'fill unknown input sizes')
    .option('--json', 'print one JSON object on stdout')
    .option(
      '--hardware <name>',
      `add per-layer latency (ns in JSON, µs in the table) on this hardware: ${HARDWARE_NAMES.join(', ')} (the last two measured on this machine)`,
    )
    .option('--measure', 'also time the whole model end to end on the measured --hardware (batch 1)')
    .option('--runs <n>', 'timed runs of --measure (default 50)');
  measuredHardwareOptions(command).action(async (model: string, opts: AnalyzeOpts) => {
    const runs = checkOptions(opts);
    const inputShape = opts.inputShape ? parseInputShape(opts.inputShape) : undefined;
    const graph = await loadGraph(model, { inputShape });
    await loadMeasuredHardware({ ...opts, quiet: false });
    let report = analyzeGraph(graph, { hardware: opts.hardware });
    if (opts.measure && opts.hardware) {
      const { measureModelLatency } = await import('../../latency/index.js');
      const { quietTfjs } = await import('../quiet-tfjs.js');
      await quietTfjs();
      // Timing does not depend on the weights' values: the topology with fresh weights is enough.
      const { model: tfModel } = await loadModelArg(model, { inputShape, freshWeights: true });
      process.stderr.write(`timing ${graph.name} on ${opts.hardware}: ${runs} runs\n`);
      const stats = await measureModelLatency(tfModel, opts.hardware, { runs });
      report = withMeasurement(report, { hardware: opts.hardware.toLowerCase(), ...stats });
      tfModel.dispose();
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${formatAnalysis(report)}\n`);
  });
}
