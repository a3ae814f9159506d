/**
 * Layers that are the identity at inference: Dropout, SpatialDropout2D, GaussianNoise, GaussianDropout,
 * AlphaDropout. Channel-preserving, no cost. The onnx engine compiles Dropout (its noise shape too); tf.js
 * has no SpatialDropout2D.
 */
import { num } from '../graph/config.js';
import { dropout as emitter } from '../engine/onnx/layers/dropout.js';
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** The rate (or stddev, for GaussianNoise) of a noise layer. */
export interface DropoutArgs {
  rate: number;
}

const definition: LayerDefinition<DropoutArgs> = {
  names: ['Dropout', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout'],
  parse: (config) => ({ rate: num(config, 'rate', num(config, 'stddev', 0)) }),
  outputShape: (inputs) => [...inputs[0]],
  channels: (ctx) => passThrough(ctx),
  constant: (ctx) => copyDead(ctx),
  latencyKind: 'identity',
  emitter,
  tfjs: { availability: 'native', lacking: ['SpatialDropout2D'] },
};

/** The noise family in the registry. */
export const dropout = defineLayer(definition);
