/** Rescaling: `y = x·scale + offset` (scalars, or one value per channel); backward `dX = dY·scale`. */
import type { RescalingArgs } from '../../../layers/rescaling.js';
import type { GraphBuilder } from '../builder.js';
import type { LayerEmitter } from '../types.js';
import { isSpatial } from './layout.js';

/** A scalar, or a per-channel constant shaped to broadcast over the channel axis of the graph layout. */
export function channelConstant(b: GraphBuilder, values: number[], spatial: boolean): string {
  if (values.length === 1) return b.scalar(values[0]);
  return b.floats(values, spatial ? [values.length, 1, 1] : [values.length]);
}

export const rescaling: LayerEmitter = {
  classes: ['Rescaling'],
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const a = op.args as RescalingArgs;
    const spatial = isSpatial(op.inputShapes[0]);
    const scale = channelConstant(b, a.scale, spatial);
    const scaled = b.mul(x, scale);
    const y = a.offset.every((v) => v === 0) ? scaled : b.add(scaled, channelConstant(b, a.offset, spatial));
    return { outputs: [y], backward: ([dy], need) => [need[0] ? b.mul(dy, scale) : null] };
  },
};
