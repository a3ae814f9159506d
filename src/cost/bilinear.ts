/**
 * morph-net's bilinear cost form of one op, `cost = a·nIn·nOut + b·nIn + c·nOut + d`, and its
 * regularization loss `a·(nIn·rOut + nOut·rIn) + bLoss·rIn + cLoss·rOut` (rIn/rOut: sums of the
 * regularization vector over the input/output channels), with the helpers layer classes build terms with.
 */
import type { OpNode, Shape } from '../graph/types.js';

/** The bilinear cost terms of one op for one resource. */
export interface CostTerms {
  a: number;
  b: number;
  c: number;
  d: number;
  /** Loss weight of rIn (equals b, except for depthwise parts: morph-net's `C·(rIn + rOut)`). */
  bLoss: number;
  /** Loss weight of rOut (equals c). */
  cLoss: number;
}

/** Resources with bilinear terms (latency combines flops and memory). */
export type BilinearResource = 'flops' | 'size' | 'params' | 'memory' | 'activations';

/** No cost. */
export const ZERO: CostTerms = { a: 0, b: 0, c: 0, d: 0, bLoss: 0, cLoss: 0 };

/** Bytes of one float32 value. */
export const FLOAT_BYTES = 4;

/** Terms from the given coefficients; bLoss/cLoss default to b/c. */
export function terms(t: Partial<CostTerms>): CostTerms {
  const out = { ...ZERO, ...t };
  if (t.bLoss === undefined) out.bLoss = out.b;
  if (t.cLoss === undefined) out.cLoss = out.c;
  return out;
}

/** H·W of an image shape (1 for a vector). */
export function area(shape: Shape): number {
  return shape.length >= 3 ? shape[shape.length - 3] * shape[shape.length - 2] : 1;
}

/** Product of the leading (non-channel) dims of a shape: H·W for images, 1 for vectors. */
export function positions(shape: Shape): number {
  return shape.slice(0, -1).reduce((s, d) => s * d, 1);
}

/** Memory of an element-wise op: it reads its inputs and writes its output, float32. */
export function elementwiseMemory(op: OpNode): CostTerms {
  const out = op.outputShapes[0];
  const inp = op.inputShapes[0] ?? out;
  return terms({ b: positions(inp) * FLOAT_BYTES, c: positions(out) * FLOAT_BYTES });
}

/** Evaluates cost terms at alive channel counts. */
export function evalTerms(t: CostTerms, nIn: number, nOut: number): number {
  return t.a * nIn * nOut + t.b * nIn + t.c * nOut + t.d;
}

/** Evaluates the regularization loss of cost terms (alive counts constant, r the regularization sums). */
export function evalLoss(t: CostTerms, nIn: number, nOut: number, rIn: number, rOut: number): number {
  return t.a * (nIn * rOut + nOut * rIn) + t.bLoss * rIn + t.cLoss * rOut;
}
