/**
 * Which profile kinds an op of the graph is made of, with the multipliers of their coefficients: one
 * small rule per layer family, like the cost terms of FLOPs. Classes the profile has no kind for are
 * priced as element-wise ops (one read and one write per element, a fixed cost per layer).
 */
import { activationName, num, pair } from '../graph/config.js';
import type { OpNode } from '../graph/types.js';
import type { LatencyKind, OpPart } from './kinds.js';

/** Product of the leading (non-channel) dims of a shape: H·W for images, 1 for vectors. */
function positions(shape: number[]): number {
  return shape.slice(0, -1).reduce((s, d) => s * d, 1);
}

function part(
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
function fusedActivation(op: OpNode, pOut: number): OpPart[] {
  const act = activationName(op.config).toLowerCase();
  return act === 'linear' ? [] : [part('activation', 0, 0, pOut, 0)];
}

const ELEMENTWISE: Record<string, LatencyKind> = {
  BatchNormalization: 'batchnorm',
  Add: 'add',
  Subtract: 'add',
  Multiply: 'add',
  Average: 'add',
  Maximum: 'add',
  Minimum: 'add',
  Concatenate: 'concat',
  Flatten: 'reshape',
  Reshape: 'reshape',
  ZeroPadding2D: 'padding',
  Cropping2D: 'padding',
  UpSampling2D: 'upsampling',
  Dropout: 'identity',
  SpatialDropout2D: 'identity',
  GaussianNoise: 'identity',
  GaussianDropout: 'identity',
  AlphaDropout: 'identity',
};

/** The kinds an op is made of and their multipliers, at the op's shapes. */
export function opParts(op: OpNode): OpPart[] {
  const out = op.outputShapes[0];
  const inp = op.inputShapes[0] ?? out;
  const pIn = positions(inp);
  const pOut = positions(out);
  const [kh, kw] = pair(op.config, 'kernel_size', [1, 1]);
  const k = kh * kw;
  switch (op.className) {
    case 'InputLayer':
      return [part('input', 0, 0, pOut)];
    case 'Conv2D':
      return [
        part(k === 1 ? 'conv1x1' : 'conv', k * pOut, pIn, pOut, 1, { wa: k }),
        ...fusedActivation(op, pOut),
      ];
    case 'Conv2DTranspose':
      return [part('conv', k * pIn, pIn, pOut, 1, { wa: k }), ...fusedActivation(op, pOut)];
    case 'Dense':
      return [part('dense', pOut, pIn, pOut, 1, { wa: 1 }), ...fusedActivation(op, pOut)];
    case 'DepthwiseConv2D':
      return [part('depthwise', 0, pIn, k * pOut, 1, { wc: k }), ...fusedActivation(op, pOut)];
    case 'SeparableConv2D': {
      // depthwise on Cin (×m channels at the output size), then a 1×1 conv from Cin·m to Cout.
      const m = num(op.config, 'depth_multiplier', 1);
      return [
        part('depthwise', 0, pIn + k * pOut * m, 0, 1, { wb: k * m }),
        part('conv1x1', pOut * m, pOut * m, pOut, 1, { wa: m }),
        ...fusedActivation(op, pOut),
      ];
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const [ph, pw] = pair(op.config, 'pool_size', [2, 2]);
      return [part('pool', 0, pIn, ph * pw * pOut)];
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return [part('global-pool', 0, pIn, pOut)];
    default:
      return [part(ELEMENTWISE[op.className] ?? 'activation', 0, pIn, pOut)];
  }
}
