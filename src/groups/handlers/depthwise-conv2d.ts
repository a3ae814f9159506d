/** DepthwiseConv2D: output channel c·m + j is input channel c filtered by its j-th filter: tied to it. */
import { num } from '../../graph/config.js';
import type { ChannelHandler } from '../types.js';
import { consumeInput } from './output-channels.js';

export const depthwiseConv2dHandler: ChannelHandler = {
  classes: ['DepthwiseConv2D'],
  propagate(ctx) {
    const input = consumeInput(ctx);
    const m = num(ctx.op.config, 'depth_multiplier', 1);
    const out = new Int32Array(input.length * m);
    for (let c = 0; c < input.length; c++) for (let j = 0; j < m; j++) out[c * m + j] = input[c];
    ctx.setOutput(out);
  },
};
