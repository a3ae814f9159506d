/**
 * Expansion to a budget (MorphNet's expand step, and the uniform width-multiplier baseline): every
 * prunable group's width becomes max(1, round(ω · alive_g)) (or a multiple of `roundTo`), inputs,
 * outputs and boundary groups keep theirs, and ω is found by bisection on the architecture's cost, which
 * is monotone in ω; then a largest-remainder rounding at that ω (each width still within one rounding step
 * of ω · alive_g) is kept when it lands nearer the budget. The cost is computed without building anything: each tensor holds a fixed number of
 * copies of its groups' channels, so every op's nIn/nOut follow from the group widths. The model is then
 * built (fresh initialisers, or the old weights in the first channels on request) and its re-parsed
 * graph's cost is checked against the computed one.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  hardware as lookupHardware,
  HARDWARE_NAMES,
  modelCost,
  opCostAt,
  TARGET_UNITS,
  type Hardware,
  type Target,
} from '../cost/index.js';
import { humanCount } from '../analyze/index.js';
import { MorphnetError } from '../errors.js';
import { analyzeGroups } from '../groups/index.js';
import type { ChannelGroup, GroupAnalysis } from '../groups/types.js';
import type { GraphOptions } from '../graph/index.js';
import type { ModelGraph } from '../graph/types.js';
import { mappedWeights, writeWeights } from './copy-weights.js';
import { rebuildModel, scaledPlan, type WidthPlan } from './rebuild.js';
import { aliveFromStructure, structureFromAlive, type Structure } from './structure-file.js';
import { graphFromModel as modelGraph } from '../graph/index.js';
import { readWeights } from './weights.js';

/** What to expand to. */
export interface WidthOptions {
  target: Target;
  /** The cost to reach, in the target's unit. */
  budget: number;
  /** Round prunable widths to multiples of this (default 1); every width stays ≥ 1. */
  roundTo?: number;
  /** Hardware name (latency target). */
  hardware?: string;
}

/** The result of the ω search. */
export interface WidthSearch {
  omega: number;
  plan: WidthPlan;
  /** Cost of the chosen architecture. */
  cost: number;
  budget: number;
  /** cost / budget − 1. */
  deviation: number;
  /** Cost of the architecture searched from (ω = 1, unrounded). */
  baseCost: number;
  /** Cost with every prunable width 1. */
  minCost: number;
}

/** Width of one group at ω. */
export function groupWidth(omega: number, aliveCount: number, roundTo = 1): number {
  const raw = omega * aliveCount;
  const w = roundTo > 1 ? roundTo * Math.round(raw / roundTo) : Math.round(raw);
  return Math.max(1, w);
}

/** The plan of widths at ω. */
export function planAt(
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  omega: number,
  roundTo = 1,
): WidthPlan {
  return scaledPlan(groups, alive, (_g: ChannelGroup, n: number) => groupWidth(omega, n, roundTo));
}

/**
 * A function from group widths to the architecture's cost for a target: nIn/nOut of every op from the
 * copies of each group its tensors hold.
 */
export function architectureCost(
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  target: Target,
  hw?: Hardware,
): (plan: WidthPlan) => number {
  // Per tensor: [group, alive entries of that group] pairs.
  const tensorGroups = new Map<string, [number, number][]>();
  for (const [t, classes] of groups.tensorClasses) {
    const counts = new Map<number, number>();
    for (const c of classes) {
      if (alive && !alive[c]) continue;
      const g = groups.classGroup[c];
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
    tensorGroups.set(t, [...counts]);
  }
  return (plan) => {
    const width = (t: string) =>
      tensorGroups.get(t)!.reduce((s, [g, n]) => s + (n * plan.widths[g]) / plan.alive[g], 0);
    let total = 0;
    for (const op of graph.ops) {
      let nIn = 0;
      for (const t of op.inputs) nIn += width(t);
      total += opCostAt(graph, op, target, Math.round(nIn), Math.round(width(op.outputs[0])), hw);
    }
    return total;
  };
}

function resolveHardware(target: Target, name?: string): Hardware | undefined {
  if (target !== 'latency') return name ? lookupHardware(name) : undefined;
  if (!name) throw new MorphnetError(`the latency target needs --hardware (${HARDWARE_NAMES.join(', ')}).`);
  try {
    return lookupHardware(name);
  } catch (e) {
    throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
  }
}

/** Searches ω so the architecture's cost is nearest the budget; refuses budgets below the cheapest one. */
export function searchWidths(
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  options: WidthOptions,
): WidthSearch {
  const roundTo = options.roundTo ?? 1;
  if (!Number.isInteger(roundTo) || roundTo < 1)
    throw new MorphnetError(`--round-to ${roundTo} must be a positive integer.`);
  const hw = resolveHardware(options.target, options.hardware);
  const cost = architectureCost(graph, groups, alive, options.target, hw);
  const budget = options.budget;
  const baseCost = cost(scaledPlan(groups, alive, (_g, n) => n));
  const minPlan = scaledPlan(groups, alive, () => 1);
  const minCost = cost(minPlan);
  const unit = TARGET_UNITS[options.target];
  if (budget < minCost * (1 - 1e-9)) {
    throw new MorphnetError(
      `the budget ${humanCount(budget)} ${unit} is below the cheapest architecture of this model (every prunable width 1): ${humanCount(minCost)}.`,
    );
  }
  let best: { omega: number; plan: WidthPlan; cost: number } = { omega: 0, plan: minPlan, cost: minCost };
  const consider = (omega: number) => {
    const plan = planAt(groups, alive, omega, roundTo);
    const c = cost(plan);
    if (Math.abs(c - budget) < Math.abs(best.cost - budget)) best = { omega, plan, cost: c };
    return c;
  };
  let lo = 0;
  let hi = 1;
  while (consider(hi) < budget && hi < 2 ** 20) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 60 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (consider(mid) < budget) lo = mid;
    else hi = mid;
  }
  // Largest-remainder rounding at ω and around it (±10% in 0.5% steps): nearer the budget on small nets.
  const center = best.omega;
  for (let k = -20; k <= 20; k++) {
    const omega = center * (1 + k * 0.005);
    if (omega <= 0) continue;
    const refined = refineRounding(groups, alive, omega, roundTo, budget, cost);
    if (Math.abs(refined.cost - budget) < Math.abs(best.cost - budget)) best = { omega, ...refined };
  }
  return { ...best, budget, deviation: best.cost / budget - 1, baseCost, minCost };
}

/**
 * Largest-remainder rounding at ω: start from every prunable width rounded down (to a multiple of
 * `roundTo`, at least 1), then round up the groups with the largest remainders first while the cost stays
 * within the budget. Each width stays within one rounding step of ω · alive_g; this lands small nets,
 * where one group's step is a large share of the cost, much nearer the budget than a common rounding.
 */
function refineRounding(
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  omega: number,
  roundTo: number,
  budget: number,
  cost: (plan: WidthPlan) => number,
): { plan: WidthPlan; cost: number } {
  const plan = scaledPlan(groups, alive, (_g, n) => Math.max(1, roundTo * Math.floor((omega * n) / roundTo)));
  const order = groups.groups
    .filter((g) => !g.pinned)
    .map((g) => ({
      g: g.id,
      rem: (omega * plan.alive[g.id]) / roundTo - Math.floor((omega * plan.alive[g.id]) / roundTo),
    }))
    .sort((a, b) => b.rem - a.rem);
  let current = cost(plan);
  for (const { g } of order) {
    const before = plan.widths[g];
    plan.widths[g] = before === 1 && roundTo > 1 ? roundTo : before + roundTo;
    const c = cost(plan);
    if (c <= budget) current = c;
    else plan.widths[g] = before;
  }
  // slots follow the widths: alive classes fill the first slots while there is room
  for (const g of groups.groups) {
    let k = 0;
    for (const c of g.classes) {
      if (alive && !alive[c]) continue;
      plan.slots[c] = k < plan.widths[g.id] ? k : -1;
      k++;
    }
  }
  return { plan, cost: current };
}

/** Options of {@link expandModel}. */
export interface ExpandOptions extends WidthOptions, GraphOptions {
  /** Alive channels to expand from (per class of the model's graph); default every channel. */
  alive?: Uint8Array;
  /** Or a structure whose channels to expand from. */
  structure?: Structure;
  structureSource?: string;
  /** Keep the old weights in the first channels of each layer (default: fresh initialisers). */
  keepWeights?: boolean;
}

/** The expanded model and how it was found. */
export interface ExpandResult {
  model: tf.LayersModel;
  graph: ModelGraph;
  groups: GroupAnalysis;
  search: WidthSearch;
  /** The expanded architecture's structure (every channel alive; cost before = the input's). */
  structure: Structure;
  warnings: string[];
}

/**
 * Expands (or shrinks) a model's alive widths by one factor ω to meet a budget, builds the new model and
 * checks its cost. With neither `alive` nor `structure`, this is the uniform width-multiplier baseline.
 */
export async function expandModel(model: tf.LayersModel, options: ExpandOptions): Promise<ExpandResult> {
  const graph = modelGraph(model, options);
  const groups = analyzeGroups(graph);
  const warnings: string[] = [];
  let alive = options.alive;
  if (!alive && options.structure) {
    const r = aliveFromStructure(options.structure, graph, groups, { source: options.structureSource });
    alive = r.alive;
    warnings.push(...r.warnings);
  }
  const search = searchWidths(graph, groups, alive, options);
  const rebuilt = await rebuildModel(model, graph, groups, alive, search.plan, options);
  if (options.keepWeights) {
    const weights = mappedWeights(graph, readWeights(model), rebuilt.model, rebuilt.maps, 'fresh');
    writeWeights(rebuilt.model, weights);
  }
  const built = modelCost(rebuilt.graph, rebuilt.groups, options.target, { hardware: options.hardware });
  if (Math.abs(built - search.cost) > 1e-6 * Math.max(1, Math.abs(search.cost))) {
    throw new Error(`expand: the built model costs ${built}, the width plan ${search.cost}`);
  }
  if (Math.abs(search.deviation) > 0.01) {
    warnings.push(
      `the nearest achievable cost ${humanCount(search.cost)} is ${(search.deviation * 100).toFixed(2)}% off the budget ${humanCount(search.budget)} (integer widths).`,
    );
  }
  const structure = structureFromAlive(rebuilt.graph, rebuilt.groups, undefined, {
    target: options.target,
    hardware: options.hardware,
    costBefore: search.baseCost,
  });
  Object.assign(structure, { budget: search.budget, omega: search.omega, roundTo: options.roundTo ?? 1 });
  return { model: rebuilt.model, graph: rebuilt.graph, groups: rebuilt.groups, search, structure, warnings };
}

/** The uniform baseline: the seed's widths times one ω, to the budget (fresh weights). */
export function uniformModel(
  model: tf.LayersModel,
  options: WidthOptions & GraphOptions,
): Promise<ExpandResult> {
  return expandModel(model, { ...options, alive: undefined, structure: undefined, keepWeights: false });
}
