/**
 * Reshape: when the new last axis is a multiple of the channel count (flattening, or `[C] → [1, 1, C]`),
 * entry j of it holds channel j mod C; any other reshape mixes channels and is kept whole.
 */
import type { ChannelHandler } from '../types.js';

export const reshapeHandler: ChannelHandler = {
  classes: ['Reshape'],
  propagate(ctx) {
    const input = ctx.input(0);
    const shape = ctx.op.outputShapes[0];
    const last = shape[shape.length - 1];
    if (last % input.length !== 0) {
      ctx.pin(input, 'boundary');
      const out = ctx.fresh(last);
      ctx.pin(out, 'boundary');
      ctx.boundary();
      ctx.setOutput(out);
      return;
    }
    const out = new Int32Array(last);
    for (let j = 0; j < last; j++) out[j] = input[j % input.length];
    ctx.setOutput(out);
  },
};
