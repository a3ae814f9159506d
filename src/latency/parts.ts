/** The pieces layer classes describe their measured-latency cost with (see `kinds.ts`). */
import { positions } from '../cost/bilinear.js';
import type { OpNode } from '../graph/types.js';
import type { LatencyKind, OpPart } from './kinds.js';

/** One kind's share of an op: multipliers of its a, b, c, d coefficients and of its weight coefficient. */
export function part(
  kind: LatencyKind,
  a: number,
  b: number,
  c: number,
  d = 1,
  weights: { wa?: number; wb?: number; wc?: number } = {},
): OpPart {
  return { kind, a, b, c, d, wa: weights.wa ?? 0, wb: weights.wb ?? 0, wc: weights.wc ?? 0 };
}

/** The activation fused into a conv or dense layer: its per-element cost on the output, no fixed cost. */
export function fusedActivation(activation: string, pOut: number): OpPart[] {
  return activation.toLowerCase() === 'linear' ? [] : [part('activation', 0, 0, pOut, 0)];
}

/** Positions (H·W, or 1 for vectors) of an op's first input and of its output. */
export function opPositions(op: OpNode): { pIn: number; pOut: number } {
  const out = op.outputShapes[0];
  return { pIn: positions(op.inputShapes[0] ?? out), pOut: positions(out) };
}
