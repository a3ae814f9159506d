/**
 * Reshape: when the new last axis is a multiple of the channel count (flattening, or `[C] → [1, 1, C]`),
 * entry j of it holds channel j mod C; any other reshape mixes channels and is kept whole. A rebuilt
 * Reshape scales its last target dimension with its input's channels.
 */
import { reshape as emitter } from '../engine/onnx/layers/reshape.js';
import { keepWhole, repeatChannels } from './channels.js';
import { copyDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim } from './window.js';

/** Reshape's config: the target shape after the batch, −1 (or null) for the inferred dimension. */
export interface ReshapeArgs {
  targetShape: number[];
}

const definition: LayerDefinition<ReshapeArgs> = {
  names: ['Reshape'],
  parse(config) {
    const target = config['target_shape'];
    if (!Array.isArray(target)) throw new Error('Reshape needs a target_shape list');
    return { targetShape: target.map((d) => (d === null ? -1 : Number(d))) };
  },
  outputShape(inputs, a) {
    const total = inputs[0].reduce((x, y) => x * y, 1);
    const known = a.targetShape.filter((d) => d !== -1).reduce((x, y) => x * y, 1);
    const out = a.targetShape.map((d) => (d === -1 ? total / known : d));
    if (out.reduce((x, y) => x * y, 1) !== total || !out.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`cannot reshape [${inputs[0].join(', ')}] into [${a.targetShape.join(', ')}]`);
    }
    return out;
  },
  channels(ctx) {
    const last = lastDim(ctx.op.outputShapes[0]);
    if (last % ctx.input(0).length !== 0) keepWhole(ctx);
    else repeatChannels(ctx, last);
  },
  constant: (ctx) => copyDead(ctx, (i) => i % lastDim(ctx.op.inputShapes[0])),
  resize(config, widths) {
    const target = config['target_shape'];
    if (Array.isArray(target) && typeof target[target.length - 1] === 'number' && target.at(-1) !== -1) {
      const t = [...target] as number[];
      t[t.length - 1] = (t[t.length - 1] / widths.inputBefore) * widths.inputAfter;
      config['target_shape'] = t;
    }
  },
  latencyKind: 'reshape',
  emitter,
  tfjs: { availability: 'native' },
};

/** Reshape in the registry. */
export const reshape = defineLayer(definition);
