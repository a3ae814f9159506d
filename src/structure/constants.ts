/**
 * The constant value a dead channel carries through the model at inference. A BN channel whose γ is
 * (treated as) zero outputs β everywhere (γ(k − μ)/√(σ² + ε) + β when its input is itself constant k);
 * a conv/dense output channel whose kernel slice is below the threshold outputs act(bias). (A γ or kernel
 * below the threshold but not zero makes the original differ from this by its small remaining signal:
 * that is the pruning decision, not a folding error, so `exact` only tracks borders.) Channel-wise
 * layers carry the value on (activations apply, pooling/cropping/up-sampling keep it, merges combine);
 * Flatten/Reshape repeat it over positions. ZeroPadding2D and `same` windows make borders differ from
 * the interior: the value is the interior one and the entry is marked inexact.
 */
import { num, pair, str } from '../graph/config.js';
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph, OpNode } from '../graph/types.js';
import { applyActivationLayer, applyFusedActivation } from './activations.js';
import { channelNorms } from './decide.js';
import type { WeightValues } from './weights.js';

/** Constant value (NaN: unknown) and exactness of each dead entry of a tensor; alive entries are NaN. */
export interface TensorConstants {
  value: Float64Array;
  exact: Uint8Array;
}

/** True when a window op's borders see the same taps as its interior (1×1 or `valid`). */
export function windowExact(op: OpNode): boolean {
  const [kh, kw] = pair(op.config, 'kernel_size', [1, 1]);
  return str(op.config, 'padding', 'valid') === 'valid' || (kh === 1 && kw === 1);
}

/** Sum of a depthwise kernel [kh, kw, C, m] over its taps, for channel c and multiplier j. */
export function depthwiseTapSum(dw: WeightValues, c: number, j: number): number {
  const [kh, kw, C, m] = dw.shape;
  let s = 0;
  for (let t = 0; t < kh * kw; t++) s += dw.values[(t * C + c) * m + j];
  return s;
}

/** Propagates dead channels' constant values through the graph (see the file comment). */
export function deadConstants(
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array,
  weights: Map<string, WeightValues>,
  threshold: number,
): Map<string, TensorConstants> {
  const out = new Map<string, TensorConstants>();
  for (const op of graph.ops) {
    const t = op.outputs[0];
    const classes = groups.tensorClasses.get(t)!;
    const n = classes.length;
    const value = new Float64Array(n).fill(NaN);
    const exact = new Uint8Array(n);
    const dead = (i: number) => !alive[classes[i]];
    const input = (k: number) => out.get(op.inputs[k])!;
    const w = (short: string) => weights.get(`${op.layer}/${short}`);
    const copyFrom = (src: TensorConstants, index: (i: number) => number, keepExact = true) => {
      for (let i = 0; i < n; i++) {
        if (!dead(i)) continue;
        const j = index(i);
        value[i] = src.value[j];
        exact[i] = keepExact || value[i] === 0 ? src.exact[j] : 0;
      }
    };
    const cls = op.className;
    if (cls === 'BatchNormalization') {
      const src = input(0);
      const gamma = w('gamma');
      const beta = w('beta');
      const mean = w('moving_mean')!;
      const variance = w('moving_variance')!;
      const eps = num(op.config, 'epsilon', 1e-3);
      for (let i = 0; i < n; i++) {
        if (!dead(i)) continue;
        const b = beta ? beta.values[i] : 0;
        const g = gamma ? gamma.values[i] : 1;
        const k = src.value[i];
        if (Number.isFinite(k)) {
          value[i] = (g * (k - mean.values[i])) / Math.sqrt(variance.values[i] + eps) + b;
          exact[i] = src.exact[i];
        } else if (gamma) {
          // γ below the threshold is treated as zero (the pruning decision itself); the entry is
          // structurally exact: only padding and borders make it inexact
          value[i] = b;
          exact[i] = 1;
        }
      }
    } else if (['Conv2D', 'Dense', 'SeparableConv2D', 'Conv2DTranspose'].includes(cls)) {
      const kernelName = cls === 'SeparableConv2D' ? 'pointwise_kernel' : 'kernel';
      const kernel = w(kernelName);
      const axis = cls === 'Dense' ? 1 : cls === 'Conv2DTranspose' ? 2 : 3;
      if (kernel) {
        const norms = channelNorms(kernel, axis);
        const bias = w('bias');
        for (let i = 0; i < n; i++) {
          if (!dead(i) || norms[i] > threshold) continue;
          value[i] = applyFusedActivation(op.config, bias ? bias.values[i] : 0);
          exact[i] = 1; // a kernel slice below the threshold is treated as zero, like γ
        }
      }
    } else if (cls === 'DepthwiseConv2D') {
      const src = input(0);
      const dw = w('depthwise_kernel');
      const bias = w('bias');
      const m = num(op.config, 'depth_multiplier', 1);
      const windowOk = windowExact(op);
      if (dw) {
        for (let i = 0; i < n; i++) {
          if (!dead(i)) continue;
          const c = Math.floor(i / m);
          const k = src.value[c];
          if (!Number.isFinite(k)) continue;
          value[i] = applyFusedActivation(
            op.config,
            k * depthwiseTapSum(dw, c, i % m) + (bias ? bias.values[i] : 0),
          );
          exact[i] = src.exact[c] && (windowOk || k === 0) ? 1 : 0;
        }
      }
    } else if (cls === 'ZeroPadding2D') {
      copyFrom(input(0), (i) => i, false);
    } else if (
      [
        'MaxPooling2D',
        'AveragePooling2D',
        'GlobalAveragePooling2D',
        'GlobalMaxPooling2D',
        'Cropping2D',
        'UpSampling2D',
      ].includes(cls)
    ) {
      copyFrom(input(0), (i) => i);
    } else if (cls === 'Flatten' || cls === 'Reshape') {
      const c = op.inputShapes[0][op.inputShapes[0].length - 1];
      copyFrom(input(0), (i) => i % c);
    } else if (cls === 'PReLU') {
      const src = input(0);
      const alpha = w('alpha');
      const spatialShared = alpha ? alpha.values.length === alpha.shape[alpha.shape.length - 1] : false;
      for (let i = 0; i < n; i++) {
        if (!dead(i)) continue;
        const k = src.value[i];
        if (k >= 0) value[i] = k;
        else if (spatialShared && alpha) value[i] = alpha.values[i] * k;
        exact[i] = src.exact[i];
      }
    } else if (cls === 'Concatenate') {
      const rank = op.outputShapes[0].length;
      const axis = num(op.config, 'axis', -1);
      if (axis === -1 || axis === rank) {
        let offset = 0;
        for (let k = 0; k < op.inputs.length; k++) {
          const src = input(k);
          for (let i = 0; i < src.value.length; i++) {
            if (dead(offset + i)) {
              value[offset + i] = src.value[i];
              exact[offset + i] = src.exact[i];
            }
          }
          offset += src.value.length;
        }
      } else {
        mergeInputs(op, out, n, dead, value, exact, (xs) => (xs.every((x) => x === xs[0]) ? xs[0] : NaN));
      }
    } else if (['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'].includes(cls)) {
      const f: Record<string, (xs: number[]) => number> = {
        Add: (xs) => xs.reduce((a, b) => a + b, 0),
        Subtract: (xs) => xs[0] - xs[1],
        Multiply: (xs) => xs.reduce((a, b) => a * b, 1),
        Average: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
        Maximum: (xs) => Math.max(...xs),
        Minimum: (xs) => Math.min(...xs),
      };
      mergeInputs(op, out, n, dead, value, exact, f[cls]);
    } else if (op.inputs.length === 1 && cls !== 'InputLayer') {
      const src = input(0);
      for (let i = 0; i < n; i++) {
        if (!dead(i) || i >= src.value.length) continue;
        value[i] = applyActivationLayer(cls, op.config, src.value[i]);
        exact[i] = Number.isFinite(value[i]) ? src.exact[i] : 0;
      }
    }
    out.set(t, { value, exact });
  }
  return out;
}

function mergeInputs(
  op: OpNode,
  out: Map<string, TensorConstants>,
  n: number,
  dead: (i: number) => boolean,
  value: Float64Array,
  exact: Uint8Array,
  combine: (xs: number[]) => number,
): void {
  const srcs = op.inputs.map((t) => out.get(t)!);
  for (let i = 0; i < n; i++) {
    if (!dead(i)) continue;
    // A one-channel input broadcasts: its value belongs to a live channel, so unknown here.
    const xs = srcs.map((s) => (s.value.length === n ? s.value[i] : NaN));
    value[i] = combine(xs);
    exact[i] = srcs.every((s) => s.value.length === n && s.exact[i]) ? 1 : 0;
  }
}
