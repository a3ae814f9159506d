/**
 * ZeroPadding2D and Cropping2D: channel-preserving, no cost. Zero padding makes the borders of a dead
 * channel's constant differ from its interior, so constants after it are inexact.
 */
import { padAmounts } from '../graph/config.js';
import { padding as emitter } from '../engine/onnx/layers/padding.js';
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { checkChannelsLast, spatialInput } from './window.js';

/** Padding or cropping amounts: [[top, bottom], [left, right]]. */
export interface PaddingArgs {
  amounts: [[number, number], [number, number]];
  /** +1 pads, −1 crops. */
  sign: 1 | -1;
}

const definition: LayerDefinition<PaddingArgs> = {
  names: ['ZeroPadding2D', 'Cropping2D'],
  parse(config, className) {
    checkChannelsLast(config);
    const crop = className === 'Cropping2D';
    return { amounts: padAmounts(config, crop ? 'cropping' : 'padding'), sign: crop ? -1 : 1 };
  },
  outputShape(inputs, a) {
    const [h, w, c] = spatialInput(inputs, a.sign > 0 ? 'ZeroPadding2D' : 'Cropping2D');
    const [[t, b], [l, r]] = a.amounts;
    const out = [h + a.sign * (t + b), w + a.sign * (l + r), c];
    if (out[0] <= 0 || out[1] <= 0) throw new Error(`cropping leaves no pixels of the ${h}×${w} input`);
    return out;
  },
  channels: (ctx) => passThrough(ctx),
  constant: (ctx, a) => copyDead(ctx, (i) => i, a.sign < 0),
  latencyKind: 'padding',
  emitter,
  tfjs: { availability: 'native' },
};

/** ZeroPadding2D and Cropping2D in the registry. */
export const padding = defineLayer(definition);
