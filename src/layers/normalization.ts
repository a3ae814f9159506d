/**
 * Keras' Normalization (EfficientNet's first layer): `y = (x − mean) / max(√variance, 1e-7)` per channel
 * of the last axis (`invert`: `y = mean + x · max(√variance, 1e-7)`), with `mean`, `variance` and a scalar
 * `count` as non-trainable weights (or constants given in its config). Channel-preserving; its weights
 * follow the channels. tf.js lacks the class: morphnet registers it with tf.js to load such files and
 * writes it as a frozen BatchNormalization (γ 1, β 0, moving statistics = mean and variance, ε = 1e-14 so
 * that √(variance + ε) keeps Keras' floor of 1e-7; an inverting one as γ = std, β = mean).
 */
import { bool, KERAS_EPSILON } from '../graph/config.js';
import type { LayerConfig } from '../graph/types.js';
import { elementwiseMemory, terms } from '../cost/bilinear.js';
import { normalization as emitter } from '../engine/onnx/layers/normalization.js';
import type { WeightValues } from '../structure/weights.js';
import { readAxis } from './batch-normalization.js';
import { passThroughOwned } from './channels.js';
import { mapDead } from './constants.js';
import { defineLayer, type LayerDefinition, type WeightShape } from './types.js';
import { lastDim } from './window.js';

/** Normalization's config. */
export interface NormalizationArgs {
  axis: number | null;
  invert: boolean;
  /** Mean and variance given in the config (then the layer has no weights), per channel or one value. */
  mean: number[] | null;
  variance: number[] | null;
}

function values(config: LayerConfig, key: string): number[] | null {
  const v = config[key];
  if (v === undefined || v === null) return null;
  const flat = [v].flat(4);
  if (!flat.every((x) => typeof x === 'number'))
    throw new Error(`Normalization ${key} must be numbers, got ${JSON.stringify(v)}`);
  return flat as number[];
}

/** The per-channel scale and shift of a Normalization: `y = x·scale + shift`. */
export function normalizationAffine(
  mean: Float32Array | number[],
  variance: Float32Array | number[],
  channels: number,
  invert: boolean,
): { scale: Float64Array; shift: Float64Array } {
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = mean.length === 1 ? mean[0] : mean[c];
    const std = Math.max(Math.sqrt(variance.length === 1 ? variance[0] : variance[c]), KERAS_EPSILON);
    scale[c] = invert ? std : 1 / std;
    shift[c] = invert ? m : -m / std;
  }
  return { scale, shift };
}

function statistics(
  a: NormalizationArgs,
  weight: (shortName: string) => WeightValues | undefined,
): { mean: Float32Array | number[]; variance: Float32Array | number[] } | undefined {
  if (a.mean && a.variance) return { mean: a.mean, variance: a.variance };
  const mean = weight('mean');
  const variance = weight('variance');
  return mean && variance ? { mean: mean.values, variance: variance.values } : undefined;
}

const definition: LayerDefinition<NormalizationArgs> = {
  names: ['Normalization'],
  parse(config) {
    const axis = readAxis(config, 'Normalization');
    const mean = values(config, 'mean');
    const variance = values(config, 'variance');
    if ((mean === null) !== (variance === null))
      throw new Error('Normalization needs both mean and variance in its config, or neither');
    return { axis, invert: bool(config, 'invert', false), mean, variance };
  },
  outputShape(inputs, a) {
    if (a.axis !== null && a.axis !== -1 && a.axis !== inputs[0].length)
      throw new Error(`Normalization over axis ${a.axis} is not supported (last axis only)`);
    return [...inputs[0]];
  },
  weights(inputs, a): WeightShape[] {
    if (a.mean) return [];
    const c = lastDim(inputs[0]);
    return [
      { shortName: 'mean', shape: [c], trainable: false },
      { shortName: 'variance', shape: [c], trainable: false },
      { shortName: 'count', shape: [], trainable: false, dtype: 'int32' },
    ];
  },
  channels: (ctx) => void passThroughOwned(ctx),
  cost(resource, op, a) {
    if (resource === 'params') return a.mean ? undefined : terms({ c: 2, d: 1 });
    if (resource === 'memory') return elementwiseMemory(op);
    return undefined;
  },
  axisMaps: (shortName, io) => (shortName === 'count' ? [] : [[0, io.output]]),
  constant(ctx, a) {
    const stats = statistics(a, ctx.weight);
    if (!stats) return;
    const { scale, shift } = normalizationAffine(stats.mean, stats.variance, ctx.size, a.invert);
    mapDead(ctx, (x, c) => x * scale[c] + shift[c]);
  },
  emitter,
  tfjs: { availability: 'registered' },
  nativeForm: {
    className: 'BatchNormalization',
    config: (config) => ({
      name: config['name'],
      trainable: false,
      dtype: 'float32',
      axis: -1,
      momentum: 0.99,
      epsilon: KERAS_EPSILON ** 2,
      center: true,
      scale: true,
    }),
    weights(weights, config, channels) {
      const a = definition.parse(config, 'Normalization');
      const stats = statistics(a, (s) => weights.get(s));
      if (!stats) throw new Error('Normalization has neither weights nor config statistics');
      const c = channels;
      const at = (v: Float32Array | number[], i: number) => (v.length === 1 ? v[0] : v[i]);
      const vector = (f: (i: number) => number): WeightValues => ({
        values: Float32Array.from({ length: c }, (_, i) => f(i)),
        shape: [c],
      });
      if (!a.invert) {
        return new Map([
          ['gamma', vector(() => 1)],
          ['beta', vector(() => 0)],
          ['moving_mean', vector((i) => at(stats.mean, i))],
          ['moving_variance', vector((i) => at(stats.variance, i))],
        ]);
      }
      // invert: y = mean + x·std = γ(x − 0)/√(1 − ε + ε) + β with γ = std, β = mean.
      const { scale, shift } = normalizationAffine(stats.mean, stats.variance, c, true);
      return new Map([
        ['gamma', vector((i) => scale[i])],
        ['beta', vector((i) => shift[i])],
        ['moving_mean', vector(() => 0)],
        ['moving_variance', vector(() => 1 - KERAS_EPSILON ** 2)],
      ]);
    },
  },
};

/** Normalization in the registry. */
export const normalization = defineLayer(definition);
