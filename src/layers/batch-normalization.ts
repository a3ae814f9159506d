/**
 * BatchNormalization over the last axis: passes channels through one-to-one; its γ is the channels'
 * switch (a source). A dead channel outputs `γ(k − μ)/√(σ² + ε) + β` for a constant input k, and β when
 * its γ is (treated as) zero.
 */
import { bool, num } from '../graph/config.js';
import { elementwiseMemory, terms } from '../cost/bilinear.js';
import { batchNorm as emitter } from '../engine/onnx/layers/batch-norm.js';
import { defineLayer, type LayerDefinition, type WeightShape } from './types.js';
import { lastDim } from './window.js';
import type { LayerConfig } from '../graph/types.js';

/** BatchNormalization's config. */
export interface BatchNormArgs {
  /** The normalised axis as written (null: the default, the last). */
  axis: number | null;
  scale: boolean;
  center: boolean;
  epsilon: number;
  momentum: number;
}

/** The axis as written (Keras: -1, the index of the last axis, or a one-element list), null when absent. */
export function readAxis(config: LayerConfig, className: string): number | null {
  const axis = config['axis'];
  const value = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number')
    throw new Error(`${className} axis ${JSON.stringify(axis)} is not supported`);
  return value;
}

const definition: LayerDefinition<BatchNormArgs> = {
  names: ['BatchNormalization'],
  parse(config) {
    return {
      axis: readAxis(config, 'BatchNormalization'),
      scale: bool(config, 'scale', true),
      center: bool(config, 'center', true),
      epsilon: num(config, 'epsilon', 1e-3),
      momentum: num(config, 'momentum', 0.99),
    };
  },
  outputShape: (inputs) => [...inputs[0]],
  weights(inputs, a) {
    if (a.axis !== null && a.axis !== -1 && a.axis !== inputs[0].length)
      throw new Error(`BatchNormalization over axis ${a.axis} is not supported (last axis only)`);
    const c = lastDim(inputs[0]);
    const out: WeightShape[] = [];
    if (a.scale) out.push({ shortName: 'gamma', shape: [c], trainable: true });
    if (a.center) out.push({ shortName: 'beta', shape: [c], trainable: true });
    out.push({ shortName: 'moving_mean', shape: [c], trainable: false });
    out.push({ shortName: 'moving_variance', shape: [c], trainable: false });
    return out;
  },
  channels(ctx, a) {
    const input = ctx.input(0);
    const own = ctx.owned('channels', input.length);
    ctx.tie(input, own);
    if (a.scale) ctx.addSource({ kind: 'gamma', weight: `${ctx.layer.name}/gamma`, axis: 0, ids: own });
    ctx.setOutput(input);
  },
  cost(resource, op, a) {
    if (resource === 'params') return terms({ c: 2 + (a.scale ? 1 : 0) + (a.center ? 1 : 0) });
    if (resource === 'memory') return elementwiseMemory(op);
    return undefined;
  },
  axisMaps: (_shortName, io) => [[0, io.output]],
  constant(ctx, a) {
    const src = ctx.input(0);
    const gamma = ctx.weight('gamma');
    const beta = ctx.weight('beta');
    const mean = ctx.weight('moving_mean')!;
    const variance = ctx.weight('moving_variance')!;
    for (let i = 0; i < ctx.size; i++) {
      if (!ctx.dead(i)) continue;
      const b = beta ? beta.values[i] : 0;
      const g = gamma ? gamma.values[i] : 1;
      const k = src.value[i];
      if (Number.isFinite(k)) {
        ctx.out.value[i] = (g * (k - mean.values[i])) / Math.sqrt(variance.values[i] + a.epsilon) + b;
        ctx.out.exact[i] = src.exact[i];
      } else if (gamma) {
        // γ below the threshold is treated as zero (the pruning decision itself); the entry is
        // structurally exact: only padding and borders make it inexact
        ctx.out.value[i] = b;
        ctx.out.exact[i] = 1;
      }
    }
  },
  absorbsShift: 'moving_mean',
  latencyKind: 'batchnorm',
  emitter,
  tfjs: { availability: 'native' },
};

/** BatchNormalization in the registry. */
export const batchNormalization = defineLayer(definition);
