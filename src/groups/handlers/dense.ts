/** Dense: non-passthrough over the last axis; after a Flatten its input rows map back to channels. */
import type { ChannelHandler } from '../types.js';
import { consumeInput, outputChannels } from './output-channels.js';

export const denseHandler: ChannelHandler = {
  classes: ['Dense'],
  propagate(ctx) {
    consumeInput(ctx);
    const out = ctx.owned('out', outputChannels(ctx));
    ctx.addSource({ kind: 'kernel', weight: `${ctx.layer.name}/kernel`, axis: 1, ids: out });
    ctx.setOutput(out);
  },
};
