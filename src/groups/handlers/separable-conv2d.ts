/**
 * SeparableConv2D: a depthwise part tied to its input channels, then a 1×1 pointwise part that starts a
 * new group at the output.
 */
import type { ChannelHandler } from '../types.js';
import { consumeInput, outputChannels } from './output-channels.js';

export const separableConv2dHandler: ChannelHandler = {
  classes: ['SeparableConv2D'],
  propagate(ctx) {
    consumeInput(ctx);
    const out = ctx.owned('out', outputChannels(ctx));
    ctx.addSource({ kind: 'kernel', weight: `${ctx.layer.name}/pointwise_kernel`, axis: 3, ids: out });
    ctx.setOutput(out);
  },
};
