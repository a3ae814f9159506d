/** Masking: passes its input on (the mask it sets is not modelled); channel-preserving, no cost. */
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';

const definition: LayerDefinition<Record<string, never>> = {
  names: ['Masking'],
  parse: () => ({}),
  outputShape: (inputs) => [...inputs[0]],
  channels: (ctx) => passThrough(ctx),
  constant: (ctx) => copyDead(ctx),
  tfjs: { availability: 'native' },
};

/** Masking in the registry. */
export const masking = defineLayer(definition);
