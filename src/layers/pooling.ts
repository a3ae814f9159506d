/** MaxPooling2D and AveragePooling2D (aliases MaxPool2D, AvgPool2D): channel-preserving windows, no cost. */
import { pooling as emitter } from '../engine/onnx/layers/pooling.js';
import { passThrough } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim, parseWindow, taps, windowShape, type WindowArgs } from './window.js';
import { opPositions, part } from '../latency/parts.js';

const definition: LayerDefinition<WindowArgs> = {
  names: ['MaxPooling2D', 'AveragePooling2D'],
  aliases: { MaxPool2D: 'MaxPooling2D', AvgPool2D: 'AveragePooling2D' },
  parse: (config) => parseWindow(config, 'pool_size'),
  outputShape: (inputs, a) => windowShape(inputs, a, lastDim(inputs[0]), 'pooling'),
  channels: (ctx) => passThrough(ctx),
  constant: (ctx) => copyDead(ctx),
  latency(op, a) {
    const { pIn, pOut } = opPositions(op);
    return [part('pool', 0, pIn, taps(a) * pOut)];
  },
  emitter,
  tfjs: { availability: 'native' },
};

/** The pooling family in the registry. */
export const pooling = defineLayer(definition);
