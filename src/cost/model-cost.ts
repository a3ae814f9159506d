/**
 * Whole-model costs from the op graph and its channel groups, at given alive channels: FLOPs, MACs,
 * parameters (Keras `countParams`), model size (kernel weights), activation count and latency.
 */
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph, OpNode } from '../graph/types.js';
import { hardware as lookupHardware, type Hardware } from './hardware.js';
import { latencyCost } from './latency.js';
import { evalTerms, opTerms, type BilinearResource } from './terms.js';

/** A cost target of MorphNet. */
export type Target = 'flops' | 'size' | 'latency' | 'activations';

/** Every target name, for validation and help texts. */
export const TARGETS: readonly Target[] = ['flops', 'size', 'latency', 'activations'];

/** Unit of each target's cost. */
export const TARGET_UNITS: Record<Target, string> = {
  flops: 'FLOPs per example',
  size: 'kernel weights',
  latency: 'ns',
  activations: 'output channels of conv/dense layers',
};

/** Alive flags per channel class (1 alive, 0 dead); undefined means every channel is alive. */
export type AliveMask = Uint8Array | undefined;

/** Alive input channels (all inputs) and output channels of an op. */
export function aliveCounts(
  groups: GroupAnalysis,
  op: OpNode,
  alive: AliveMask,
): { nIn: number; nOut: number } {
  const count = (tensor: string): number => {
    const classes = groups.tensorClasses.get(tensor)!;
    if (!alive) return classes.length;
    let n = 0;
    for (const c of classes) n += alive[c];
    return n;
  };
  let nIn = 0;
  for (const t of op.inputs) nIn += count(t);
  return { nIn, nOut: count(op.outputs[0]) };
}

/** Cost of one op at given alive counts, for a target (or the extra resources `params`, `memory`, `macs`). */
export function opCostAt(
  graph: ModelGraph,
  op: OpNode,
  target: Target | 'params' | 'memory' | 'macs',
  nIn: number,
  nOut: number,
  hw?: Hardware,
): number {
  const layer = graph.layers.get(op.layer)!;
  if (target === 'latency') {
    if (!hw) throw new Error('the latency target needs a hardware name');
    if (hw.kind === 'measured') return evalTerms(hw.opTerms(op), nIn, nOut);
    return latencyCost(opTerms(op, layer, 'flops'), opTerms(op, layer, 'memory'), hw, nIn, nOut);
  }
  if (target === 'macs') return evalTerms(opTerms(op, layer, 'flops'), nIn, nOut) / 2;
  return evalTerms(opTerms(op, layer, target as BilinearResource), nIn, nOut);
}

/** Cost of one op for a target at the given alive channels. */
export function opCost(
  graph: ModelGraph,
  groups: GroupAnalysis,
  op: OpNode,
  target: Target | 'params' | 'memory' | 'macs',
  alive?: AliveMask,
  hw?: Hardware,
): number {
  const { nIn, nOut } = aliveCounts(groups, op, alive);
  return opCostAt(graph, op, target, nIn, nOut, hw);
}

/** Total cost of the model for a target at the given alive channels. */
export function modelCost(
  graph: ModelGraph,
  groups: GroupAnalysis,
  target: Target | 'params' | 'memory' | 'macs',
  options: { alive?: AliveMask; hardware?: string | Hardware } = {},
): number {
  const hw = typeof options.hardware === 'string' ? lookupHardware(options.hardware) : options.hardware;
  let total = 0;
  for (const op of graph.ops) total += opCost(graph, groups, op, target, options.alive, hw);
  return total;
}

/** One layer's row of the cost table. */
export interface LayerCost {
  name: string;
  className: string;
  inChannels: number;
  outChannels: number;
  flops: number;
  macs: number;
  params: number;
  size: number;
  activations: number;
  latency?: number;
}

/** Per-layer costs (a shared layer sums its applications), in model order, at the given alive channels. */
export function layerCosts(
  graph: ModelGraph,
  groups: GroupAnalysis,
  options: { alive?: AliveMask; hardware?: string | Hardware } = {},
): LayerCost[] {
  const hw = typeof options.hardware === 'string' ? lookupHardware(options.hardware) : options.hardware;
  const rows: LayerCost[] = [];
  for (const layer of graph.layers.values()) {
    const ops = layer.ops.map((id) => graph.opsById.get(id)!);
    const counts = ops.map((op) => aliveCounts(groups, op, options.alive));
    const sum = (target: Target | 'params' | 'macs') =>
      ops.reduce((s, op, i) => s + opCostAt(graph, op, target, counts[i].nIn, counts[i].nOut, hw), 0);
    const row: LayerCost = {
      name: layer.name,
      className: layer.className,
      inChannels: ops[0].inputs.length === 0 ? 0 : counts[0].nIn,
      outChannels: counts[0].nOut,
      flops: sum('flops'),
      macs: sum('macs'),
      params: sum('params'),
      size: sum('size'),
      activations: sum('activations'),
    };
    if (hw) row.latency = sum('latency');
    rows.push(row);
  }
  return rows;
}
