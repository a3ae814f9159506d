/**
 * `morphnet expand <model|structure> --target T --budget X [--round-to N] [--hardware H] --out DIR`:
 * multiplies every alive width by one factor ω, searched so the new architecture's cost meets the budget.
 */
import { loadModelArg, readModelArgJson } from '../model-source.js';
import { graphFromModel } from '../../graph/index.js';
import * as path from 'node:path';
import type { Command } from 'commander';
import {
  hardware as lookupHardware,
  HARDWARE_NAMES,
  isMeasuredName,
  modelCost,
  TARGET_UNITS,
  TARGETS,
  type Target,
} from '../../cost/index.js';
import { humanCount } from '../../analyze/index.js';
import { MorphnetError } from '../../errors.js';
import { analyzeGroups } from '../../groups/index.js';
import type { GroupAnalysis } from '../../groups/types.js';
import type { ModelGraph } from '../../graph/types.js';
import { finishOutDir, prepareOutDir } from '../../io/out-dir.js';
import {
  aliveFromStructure,
  compareCosts,
  expandModel,
  formatCostTable,
  isStructureJson,
  ownerLayers,
  parseBudget,
  parseStructure,
  saveStructuredModel,
  searchWidths,
  type Structure,
} from '../../structure/index.js';
import { checkMeasuredFlags, loadMeasuredHardware, measuredHardwareOptions } from '../measured-hardware.js';
import { parseInputShape } from '../parse-options.js';
import { quietTfjs } from '../quiet-tfjs.js';

/** Options shared by `expand` and `uniform`. */
export interface WidthOpts {
  target: string;
  budget: string;
  roundTo?: string;
  hardware?: string;
  threads?: string;
  remeasure?: boolean;
  model?: string;
  keepWeights?: boolean;
  inputShape?: string;
  out: string;
  json?: boolean;
}

/** Parses a target name. */
export function parseTarget(value: string): Target {
  if (!(TARGETS as readonly string[]).includes(value))
    throw new MorphnetError(`--target "${value}" is not one of ${TARGETS.join(', ')}.`);
  return value as Target;
}

/** Prints warnings on stderr, one line each. */
export function printWarnings(warnings: string[]): void {
  for (const w of warnings) process.stderr.write(`morphnet: warning: ${w}\n`);
}

/** Checks the hardware name (required for the latency target). */
export function checkHardware(target: Target, name: string | undefined): void {
  if (target === 'latency' && !name)
    throw new MorphnetError(`the latency target needs --hardware (${HARDWARE_NAMES.join(', ')}).`);
  if (name && !isMeasuredName(name)) {
    try {
      lookupHardware(name);
    } catch (e) {
      throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
    }
  }
}

/** Adds the options of `expand` / `uniform` to a command. */
export function widthOptions(cmd: Command): Command {
  cmd
    .requiredOption('--target <T>', 'flops, size, latency (with --hardware) or activations')
    .requiredOption('--budget <X>', "N% of the input model's cost, or an absolute cost (k/M/G suffixes)")
    .option('--round-to <N>', 'round every prunable width to a multiple of N (at least 1 channel)')
    .option('--hardware <name>', `hardware for latency: ${HARDWARE_NAMES.join(', ')}`)
    .option('--input-shape <H,W,C>', 'fill unknown input sizes')
    .requiredOption('--out <DIR>', 'new or empty output folder')
    .option('--json', 'print a JSON summary on stdout');
  measuredHardwareOptions(cmd);
  return cmd;
}

/** True when a model already has the structure's widths (it is the pruned model of that structure). */
function alreadyPruned(structure: Structure, graph: ModelGraph, groups: GroupAnalysis): boolean {
  const owners = new Map(ownerLayers(graph, groups).map((o) => [o.name, o.classes.length]));
  return Object.entries(structure.alive).every(([name, n]) => owners.get(name) === n);
}

/** Runs `expand` (from a model or a structure) or `uniform` (from the seed's widths). */
export async function runWidthCommand(
  command: 'expand' | 'uniform',
  input: string,
  opts: WidthOpts,
): Promise<void> {
  const target = parseTarget(opts.target);
  checkHardware(target, opts.hardware);
  checkMeasuredFlags(opts);
  let roundTo = 1;
  if (opts.roundTo !== undefined) {
    roundTo = Number(opts.roundTo);
    if (!Number.isInteger(roundTo) || roundTo < 1)
      throw new MorphnetError(`--round-to "${opts.roundTo}" must be a positive integer.`);
  }
  const inputShape = opts.inputShape ? parseInputShape(opts.inputShape) : undefined;

  let modelSpec = input;
  let json: unknown;
  let structure: Structure | undefined;
  if (!input.startsWith('zoo:')) {
    json = await readModelArgJson(input);
    if (isStructureJson(json)) {
      if (command === 'uniform')
        throw new MorphnetError(`${input}: is a structure file; uniform takes a model (the seed network).`);
      structure = parseStructure(json, input);
      const named = (structure as Record<string, unknown>)['model'];
      modelSpec =
        opts.model ??
        (typeof named === 'string'
          ? path.resolve(path.dirname(input), named)
          : path.join(path.dirname(input), 'model.json'));
      json = modelSpec.startsWith('zoo:') ? undefined : await readModelArgJson(modelSpec);
    }
  }
  await quietTfjs();
  const { model } = await loadModelArg(modelSpec, { inputShape, json, freshWeights: !opts.keepWeights });
  const graph = graphFromModel(model, { inputShape });
  const groups = analyzeGroups(graph);
  let alive: Uint8Array | undefined;
  const warnings: string[] = [];
  if (structure && !alreadyPruned(structure, graph, groups)) {
    const r = aliveFromStructure(structure, graph, groups, { source: input });
    alive = r.alive;
    warnings.push(...r.warnings);
  }
  await loadMeasuredHardware(opts);
  const inputCost = modelCost(graph, groups, target, { hardware: opts.hardware });
  const budget = parseBudget(opts.budget, inputCost);
  searchWidths(graph, groups, alive, { target, budget, roundTo, hardware: opts.hardware }); // refuses bad budgets now

  const out = await prepareOutDir(opts.out, command);
  const result = await expandModel(model, {
    target,
    budget,
    roundTo,
    hardware: opts.hardware,
    alive,
    keepWeights: opts.keepWeights,
    inputShape,
  });
  await saveStructuredModel(result.model, out.dir, result.structure);
  await finishOutDir(out.dir);
  warnings.push(...result.warnings);
  printWarnings(warnings);

  const costs = compareCosts(
    { graph, groups, alive },
    { graph: result.graph, groups: result.groups },
    opts.hardware,
  );
  const s = result.search;
  if (opts.json) {
    const summary = {
      command,
      out: out.dir,
      target,
      budget,
      omega: s.omega,
      achieved: s.cost,
      deviation: s.deviation,
      minCost: s.minCost,
      alive: result.structure.alive,
      cost: costs,
      warnings,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatCostTable(costs, target)}\n`);
    const sign = s.deviation >= 0 ? '+' : '';
    process.stdout.write(
      `ω = ${s.omega.toFixed(4)}: ${target} ${humanCount(s.cost)} ${TARGET_UNITS[target]} for a budget of ${humanCount(budget)} (${sign}${(s.deviation * 100).toFixed(2)}%)\n`,
    );
    process.stdout.write(`wrote ${out.dir}/model.json and structure.json\n`);
  }
}

/** Registers the `expand` command. */
export function registerExpand(program: Command): void {
  widthOptions(
    program
      .command('expand')
      .description(
        'multiply every alive width by one factor ω so the architecture meets a budget; writes DIR/model.json (fresh weights) and DIR/structure.json',
      )
      .argument(
        '<model|structure>',
        'a (pruned) model.json, zoo:NAME, or a structure.json (its model: --model, or model.json beside it)',
      ),
  )
    .option('--model <model.json>', 'the model a structure.json applies to')
    .option('--keep-weights', "keep the input's weights in the first channels of each layer")
    .action((input: string, opts: WidthOpts) => runWidthCommand('expand', input, opts));
}
