/** Before/after cost tables of a prune or an expansion: FLOPs, size, params, activations (and latency). */
import { humanCount } from '../analyze/index.js';
import { modelCost, type AliveMask } from '../cost/index.js';
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph } from '../graph/types.js';

/** One architecture's graph, groups and (optional) alive mask. */
export interface CostSide {
  graph: ModelGraph;
  groups: GroupAnalysis;
  alive?: AliveMask;
}

/** Before/after of each resource. */
export type CostComparison = Record<string, { before: number; after: number }>;

/** Compares two architectures' costs (latency too when a hardware name is given). */
export function compareCosts(before: CostSide, after: CostSide, hardware?: string): CostComparison {
  const out: CostComparison = {};
  const resources: ('flops' | 'size' | 'params' | 'activations' | 'latency')[] = [
    'flops',
    'size',
    'params',
    'activations',
  ];
  if (hardware) resources.push('latency');
  for (const r of resources) {
    out[r] = {
      before: modelCost(before.graph, before.groups, r, { alive: before.alive, hardware }),
      after: modelCost(after.graph, after.groups, r, { alive: after.alive, hardware }),
    };
  }
  return out;
}

/** The comparison as a text table (resource, before, after, after/before). */
export function formatCostTable(costs: CostComparison, target?: string): string {
  const rows = [['resource', 'before', 'after', 'after/before']];
  for (const [name, { before, after }] of Object.entries(costs)) {
    const label = name === 'latency' ? 'latency ns' : name;
    rows.push([
      name === target ? `${label} *` : label,
      humanCount(before),
      humanCount(after),
      before > 0 ? `${((after / before) * 100).toFixed(1)}%` : '-',
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}
