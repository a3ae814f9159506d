/** Conv2D: consumes its input group, starts a new group at its output (non-passthrough). */
import type { ChannelHandler } from '../types.js';
import { consumeInput, outputChannels } from './output-channels.js';

export const conv2dHandler: ChannelHandler = {
  classes: ['Conv2D'],
  propagate(ctx) {
    consumeInput(ctx);
    const out = ctx.owned('out', outputChannels(ctx));
    ctx.addSource({ kind: 'kernel', weight: `${ctx.layer.name}/kernel`, axis: 3, ids: out });
    ctx.setOutput(out);
  },
};
