/** Conv2DTranspose: non-passthrough; its kernel is [kh, kw, out, in], output channels on axis 2. */
import type { ChannelHandler } from '../types.js';
import { consumeInput, outputChannels } from './output-channels.js';

export const conv2dTransposeHandler: ChannelHandler = {
  classes: ['Conv2DTranspose'],
  propagate(ctx) {
    consumeInput(ctx);
    const out = ctx.owned('out', outputChannels(ctx));
    ctx.addSource({ kind: 'kernel', weight: `${ctx.layer.name}/kernel`, axis: 2, ids: out });
    ctx.setOutput(out);
  },
};
