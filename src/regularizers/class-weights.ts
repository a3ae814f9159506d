/**
 * The regularization loss of a whole network is linear in the per-class regularization values once the
 * alive counts are held constant (morph-net): `loss = Σ_c w[c] · r[c]`. This file computes those class
 * weights `w[c] = ∂loss/∂r[c]` from the bilinear cost terms of every op, and the model cost at a mask.
 */
import type { ModelGraph, OpNode } from '../graph/types.js';
import type { GroupAnalysis } from '../groups/types.js';
import {
  aliveCounts,
  evalTerms,
  opTerms,
  scaleTerms,
  type AliveMask,
  type CostTerms,
  type Hardware,
  type Target,
} from '../cost/index.js';

/** Per-op cost terms for a target (latency keeps both branches, already divided by peak / bandwidth). */
export interface OpTermTable {
  op: OpNode;
  /** The single bilinear branch (flops, size, activations). */
  terms?: CostTerms;
  /** Latency: compute branch (FLOPs / peak) and memory branch (bytes / bandwidth), in ns. */
  compute?: CostTerms;
  memory?: CostTerms;
}

/** Precomputes the cost terms of every op of a graph for a target. */
export function termTable(graph: ModelGraph, target: Target, hw?: Hardware): OpTermTable[] {
  return graph.ops.map((op) => {
    const layer = graph.layers.get(op.layer)!;
    if (target === 'latency') {
      if (!hw) throw new Error('the latency target needs a hardware name');
      if (hw.kind === 'measured') return { op, terms: hw.opTerms(op) };
      return {
        op,
        compute: scaleTerms(opTerms(op, layer, 'flops'), 1 / hw.peakGflops),
        memory: scaleTerms(opTerms(op, layer, 'memory'), 1 / hw.bandwidthGBs),
      };
    }
    return { op, terms: opTerms(op, layer, target) };
  });
}

/** The branch of an op's terms that decides cost and loss at given counts (latency: the larger cost). */
function branch(row: OpTermTable, nIn: number, nOut: number): CostTerms {
  if (row.terms) return row.terms;
  const c = evalTerms(row.compute!, nIn, nOut);
  const m = evalTerms(row.memory!, nIn, nOut);
  return m > c ? row.memory! : row.compute!;
}

/** Model cost at an alive mask, from the precomputed terms. */
export function tableCost(table: OpTermTable[], groups: GroupAnalysis, alive: AliveMask): number {
  let total = 0;
  for (const row of table) {
    const { nIn, nOut } = aliveCounts(groups, row.op, alive);
    if (row.terms) total += evalTerms(row.terms, nIn, nOut);
    else total += Math.max(evalTerms(row.compute!, nIn, nOut), evalTerms(row.memory!, nIn, nOut));
  }
  return total;
}

/**
 * `w[c] = ∂loss/∂r[c]` at an alive mask: each op adds `a·nOut + bLoss` for every entry of its inputs
 * (a Flatten output's H·W entries each) and `a·nIn + cLoss` for every entry of its output. Classes that
 * are pinned or in `zero` get 0 (they cannot be pruned, or nothing regularizes them: morph-net's None).
 */
export function classWeights(
  table: OpTermTable[],
  groups: GroupAnalysis,
  alive: AliveMask,
  zero: Uint8Array,
): Float64Array {
  const w = new Float64Array(groups.classCount);
  for (const row of table) {
    const { op } = row;
    const { nIn, nOut } = aliveCounts(groups, op, alive);
    const t = branch(row, nIn, nOut);
    const perIn = t.a * nOut + t.bLoss;
    const perOut = t.a * nIn + t.cLoss;
    if (perIn !== 0)
      for (const tensor of op.inputs) for (const c of groups.tensorClasses.get(tensor)!) w[c] += perIn;
    if (perOut !== 0) for (const c of groups.tensorClasses.get(op.outputs[0])!) w[c] += perOut;
  }
  for (let c = 0; c < w.length; c++) if (zero[c] || groups.classPinned[c]) w[c] = 0;
  return w;
}
