/**
 * Flatten: with channels last, flat position p·C + c holds channel c, so each channel expands into H·W
 * entries of the output (the rows of the next Dense kernel that pruning it removes).
 */
import { reshape as emitter } from '../engine/onnx/layers/reshape.js';
import { repeatChannels } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim } from './window.js';

const definition: LayerDefinition<Record<string, never>> = {
  names: ['Flatten'],
  parse: () => ({}),
  outputShape: (inputs) => [inputs[0].reduce((a, b) => a * b, 1)],
  channels: (ctx) => repeatChannels(ctx, ctx.op.outputShapes[0][0]),
  constant: (ctx) => copyDead(ctx, (i) => i % lastDim(ctx.op.inputShapes[0])),
  latencyKind: 'reshape',
  emitter,
  tfjs: { availability: 'native' },
};

/** Flatten in the registry. */
export const flatten = defineLayer(definition);
