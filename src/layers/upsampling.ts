/** UpSampling2D: channel-preserving, no cost; the onnx engine compiles `nearest` only. */
import { pair, str } from '../graph/config.js';
import { upSampling as emitter } from '../engine/onnx/layers/upsampling.js';
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { checkChannelsLast, spatialInput } from './window.js';

/** UpSampling2D's config. */
export interface UpSamplingArgs {
  size: [number, number];
  interpolation: string;
}

const definition: LayerDefinition<UpSamplingArgs> = {
  names: ['UpSampling2D'],
  parse(config) {
    checkChannelsLast(config);
    return { size: pair(config, 'size', [2, 2]), interpolation: str(config, 'interpolation', 'nearest') };
  },
  outputShape(inputs, a) {
    const [h, w, c] = spatialInput(inputs, 'UpSampling2D');
    return [h * a.size[0], w * a.size[1], c];
  },
  channels: (ctx) => passThrough(ctx),
  constant: (ctx) => copyDead(ctx),
  latencyKind: 'upsampling',
  emitter,
  tfjs: { availability: 'native' },
};

/** UpSampling2D in the registry. */
export const upSampling = defineLayer(definition);
