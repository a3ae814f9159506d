/**
 * Which profile kinds an op of the graph is made of, with the multipliers of their coefficients: each
 * layer class's rule lives in its registry module (`latency`, or the element-wise `latencyKind`), like its
 * FLOPs terms. Classes without one are priced as element-wise ops (one read and one write per element,
 * a fixed cost per layer).
 */
import { positions } from '../cost/bilinear.js';
import type { OpNode } from '../graph/types.js';
import { layerClass } from '../layers/index.js';
import type { OpPart } from './kinds.js';
import { part } from './parts.js';

/** The kinds an op is made of and their multipliers, at the op's shapes. */
export function opParts(op: OpNode): OpPart[] {
  const cls = layerClass(op.className);
  const own = cls?.latency(op);
  if (own) return own;
  const out = op.outputShapes[0];
  const inp = op.inputShapes[0] ?? out;
  return [part(cls?.latencyKind(op.className) ?? 'activation', 0, positions(inp), positions(out))];
}
