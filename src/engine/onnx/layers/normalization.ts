/**
 * Keras' Normalization: `y = (x − mean) / max(√variance, 1e-7)` per channel (`invert`: `mean + x·std`).
 * Its statistics are not trained: the backward is `dX = dY·scale`.
 */
import type { NormalizationArgs } from '../../../layers/normalization.js';
import { KERAS_EPSILON } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';
import { isSpatial } from './layout.js';
import { channelConstant } from './rescaling.js';

export const normalization: LayerEmitter = {
  classes: ['Normalization'],
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const a = op.args as NormalizationArgs;
    const shape = op.inputShapes[0];
    const spatial = isSpatial(shape);
    const perChannel = (v: string) => (spatial ? b.reshape(v, [shape[shape.length - 1], 1, 1]) : v);
    const given = (v: number[]) => channelConstant(b, v, spatial);
    const mean = a.mean ? given(a.mean) : perChannel(ctx.weight(op, 'mean'));
    const variance = a.variance ? given(a.variance) : perChannel(ctx.weight(op, 'variance'));
    const std = b.op('Max', [b.op('Sqrt', [variance]), b.scalar(KERAS_EPSILON)]);
    const scale = a.invert ? std : b.op('Reciprocal', [std]);
    const y = a.invert ? b.add(b.mul(x, scale), mean) : b.mul(b.sub(x, mean), scale);
    return { outputs: [y], backward: ([dy], need) => [need[0] ? b.mul(dy, scale) : null] };
  },
};
