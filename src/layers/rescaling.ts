/**
 * Rescaling: `y = x·scale + offset`, scalars or one value per channel (Keras writes MobileNetV3's and
 * EfficientNet's input scaling with it). Channel-preserving, no cost, no weights.
 */
import type { LayerConfig } from '../graph/types.js';
import { rescaling as emitter } from '../engine/onnx/layers/rescaling.js';
import { passThrough } from './channels.js';
import { mapDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** Rescaling's config: one value, or one per channel. */
export interface RescalingArgs {
  scale: number[];
  offset: number[];
}

function factor(config: LayerConfig, key: string, fallback: number): number[] {
  const v = config[key] ?? fallback;
  const flat = [v].flat(4);
  if (flat.length === 0 || !flat.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new Error(`Rescaling ${key} must be a finite number or a list of them, got ${JSON.stringify(v)}`);
  return flat as number[];
}

const definition: LayerDefinition<RescalingArgs> = {
  names: ['Rescaling'],
  parse: (config) => ({ scale: factor(config, 'scale', 1), offset: factor(config, 'offset', 0) }),
  outputShape(inputs, a) {
    const c = inputs[0][inputs[0].length - 1];
    for (const v of [a.scale, a.offset])
      if (v.length !== 1 && v.length !== c)
        throw new Error(`Rescaling has ${v.length} factors for ${c} channels`);
    return [...inputs[0]];
  },
  channels: (ctx) => passThrough(ctx),
  constant(ctx, a) {
    const at = (v: number[], c: number) => (v.length === 1 ? v[0] : v[c]);
    mapDead(ctx, (x, c) => x * at(a.scale, c) + at(a.offset, c));
  },
  emitter,
  tfjs: { availability: 'native' },
};

/** Rescaling in the registry. */
export const rescaling = defineLayer(definition);
