/** GlobalAveragePooling2D and GlobalMaxPooling2D (aliases GlobalAvgPool2D, GlobalMaxPool2D), keepdims or not. */
import { bool } from '../graph/config.js';
import { globalPooling as emitter } from '../engine/onnx/layers/global-pooling.js';
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { checkChannelsLast, spatialInput } from './window.js';
import { opPositions, part } from '../latency/parts.js';

/** Global pooling's config. */
export interface GlobalPoolingArgs {
  keepdims: boolean;
}

const definition: LayerDefinition<GlobalPoolingArgs> = {
  names: ['GlobalAveragePooling2D', 'GlobalMaxPooling2D'],
  aliases: { GlobalAvgPool2D: 'GlobalAveragePooling2D', GlobalMaxPool2D: 'GlobalMaxPooling2D' },
  parse(config) {
    checkChannelsLast(config);
    return { keepdims: bool(config, 'keepdims', false) };
  },
  outputShape(inputs, a) {
    const [, , c] = spatialInput(inputs, 'global pooling');
    return a.keepdims ? [1, 1, c] : [c];
  },
  channels: (ctx) => passThrough(ctx),
  constant: (ctx) => copyDead(ctx),
  latency(op) {
    const { pIn, pOut } = opPositions(op);
    return [part('global-pool', 0, pIn, pOut)];
  },
  emitter,
  tfjs: { availability: 'native' },
};

/** The global pooling family in the registry. */
export const globalPooling = defineLayer(definition);
