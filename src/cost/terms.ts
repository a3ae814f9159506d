/**
 * Per-op cost as a function of the op's alive input and output channels, in morph-net's bilinear form:
 * `cost = a·nIn·nOut + b·nIn + c·nOut + d`, and its regularization loss
 * `a·(nIn·rOut + nOut·rIn) + bLoss·rIn + cLoss·rOut`, where rIn/rOut are the sums of the regularization
 * vector over the input/output channels. nIn counts every input channel (all inputs; a Flatten output's
 * H·W entries per channel), nOut every output channel. Per example (batch 1); FLOPs = 2 × MACs.
 */
import { bool, num, pair } from '../graph/config.js';
import type { LayerInfo, OpNode } from '../graph/types.js';

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

const ZERO: CostTerms = { a: 0, b: 0, c: 0, d: 0, bLoss: 0, cLoss: 0 };

function terms(t: Partial<CostTerms>): CostTerms {
  const out = { ...ZERO, ...t };
  if (t.bLoss === undefined) out.bLoss = out.b;
  if (t.cLoss === undefined) out.cLoss = out.c;
  return out;
}

function area(shape: number[]): number {
  return shape.length >= 3 ? shape[shape.length - 3] * shape[shape.length - 2] : 1;
}

/** Product of the leading (non-channel) dims of a shape: H·W for images, 1 for vectors. */
function positions(shape: number[]): number {
  return shape.slice(0, -1).reduce((s, d) => s * d, 1);
}

const MEMORY_CLASSES = new Set([
  'BatchNormalization',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'PReLU',
  'ELU',
  'Softmax',
]);

const FLOAT_BYTES = 4;

/** The bilinear cost terms of an op for a resource. */
export function opTerms(op: OpNode, layer: LayerInfo, resource: BilinearResource): CostTerms {
  const cfg = op.config;
  const out = op.outputShapes[0];
  const inp = op.inputShapes[0] ?? out;
  const [kh, kw] = pair(cfg, 'kernel_size', [1, 1]);
  const k = kh * kw;
  const m = num(cfg, 'depth_multiplier', 1);
  const hasBias = bool(cfg, 'use_bias', true) ? 1 : 0;
  const firstApplication = layer.ops[0] === op.id;
  switch (resource) {
    case 'flops':
      switch (op.className) {
        case 'Conv2D':
          return terms({ a: 2 * k * area(out) });
        case 'Conv2DTranspose':
          return terms({ a: 2 * k * area(inp) });
        case 'DepthwiseConv2D':
          return terms({ c: 2 * k * area(out), bLoss: 2 * k * area(out) });
        case 'SeparableConv2D':
          return terms({
            a: 2 * area(out) * m,
            b: 2 * k * area(out) * m,
            bLoss: 2 * k * area(out) * (1 + m),
          });
        case 'Dense':
          return terms({ a: 2 * positions(out) });
        default:
          return ZERO;
      }
    case 'size':
      switch (op.className) {
        case 'Conv2D':
        case 'Conv2DTranspose':
          return terms({ a: k });
        case 'DepthwiseConv2D':
          return terms({ c: k, bLoss: k });
        case 'SeparableConv2D':
          return terms({ a: m, b: k * m, bLoss: k * (1 + m) });
        case 'Dense':
          return terms({ a: 1 });
        default:
          return ZERO;
      }
    case 'params': {
      if (!firstApplication) return ZERO; // a shared layer's weights count once
      switch (op.className) {
        case 'Conv2D':
        case 'Conv2DTranspose':
          return terms({ a: k, c: hasBias });
        case 'DepthwiseConv2D':
          return terms({ c: k + hasBias });
        case 'SeparableConv2D':
          return terms({ a: m, b: k * m, c: hasBias });
        case 'Dense':
          return terms({ a: 1, c: hasBias });
        case 'BatchNormalization':
          return terms({ c: 2 + (bool(cfg, 'scale', true) ? 1 : 0) + (bool(cfg, 'center', true) ? 1 : 0) });
        case 'PReLU': {
          const alpha = layer.weights[0]?.shape ?? [];
          return terms({ c: alpha.slice(0, -1).reduce((s, d) => s * d, 1) });
        }
        default: {
          // A layer we do not model per channel: its whole weight count, constant.
          return terms({ d: layer.params });
        }
      }
    }
    case 'memory': {
      const inArea = positions(inp);
      const outArea = positions(out);
      switch (op.className) {
        case 'Conv2D':
        case 'Conv2DTranspose':
        case 'Dense':
          return terms({ a: k * FLOAT_BYTES, b: inArea * FLOAT_BYTES, c: outArea * FLOAT_BYTES });
        case 'DepthwiseConv2D':
          return terms({ b: inArea * FLOAT_BYTES, c: (outArea + k) * FLOAT_BYTES });
        case 'SeparableConv2D':
          return terms({ a: m * FLOAT_BYTES, b: (inArea + k * m) * FLOAT_BYTES, c: outArea * FLOAT_BYTES });
        default:
          return MEMORY_CLASSES.has(op.className)
            ? terms({ b: inArea * FLOAT_BYTES, c: outArea * FLOAT_BYTES })
            : ZERO;
      }
    }
    case 'activations':
      switch (op.className) {
        case 'Conv2D':
        case 'Conv2DTranspose':
        case 'DepthwiseConv2D':
        case 'SeparableConv2D':
        case 'Dense':
          return terms({ c: 1 });
        default:
          return ZERO;
      }
  }
}

/** Evaluates cost terms at alive channel counts. */
export function evalTerms(t: CostTerms, nIn: number, nOut: number): number {
  return t.a * nIn * nOut + t.b * nIn + t.c * nOut + t.d;
}

/** Evaluates the regularization loss of cost terms (alive counts constant, r the regularization sums). */
export function evalLoss(t: CostTerms, nIn: number, nOut: number, rIn: number, rOut: number): number {
  return t.a * (nIn * rOut + nOut * rIn) + t.bLoss * rIn + t.cLoss * rOut;
}
