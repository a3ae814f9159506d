/** PReLU: channel-preserving with a per-channel slope, so a shared PReLU ties its applications. */
import type { ChannelHandler } from '../types.js';

export const preluHandler: ChannelHandler = {
  classes: ['PReLU'],
  propagate(ctx) {
    const input = ctx.input(0);
    ctx.tie(input, ctx.owned('channels', input.length));
    ctx.setOutput(input);
  },
};
