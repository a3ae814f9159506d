/**
 * Masking: passes its input on (the mask it sets is not modelled); channel-preserving, no cost. tf.js builds
 * it but has no gradient for it, so no engine trains it.
 */
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';

const definition: LayerDefinition<Record<string, never>> = {
  names: ['Masking'],
  parse: () => ({}),
  outputShape: (inputs) => [...inputs[0]],
  channels: (ctx) => passThrough(ctx),
  constant: (ctx) => copyDead(ctx),
  tfjs: { availability: 'native', untrainable: ['Masking'] },
};

/** Masking in the registry. */
export const masking = defineLayer(definition);
