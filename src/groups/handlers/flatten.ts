/**
 * Flatten: with channels last, flat position p·C + c holds channel c, so each channel expands into H·W
 * entries of the output (the rows of the next Dense kernel that pruning it removes).
 */
import type { ChannelHandler } from '../types.js';

export const flattenHandler: ChannelHandler = {
  classes: ['Flatten'],
  propagate(ctx) {
    const input = ctx.input(0);
    const size = ctx.op.outputShapes[0][0];
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = input[i % input.length];
    ctx.setOutput(out);
  },
};
