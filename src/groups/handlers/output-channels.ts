/** Shared pieces of the handlers of layers that start a new group at their output. */
import type { ChannelContext } from '../types.js';

/** Number of channels (last dimension) of the op's output. */
export function outputChannels(ctx: ChannelContext): number {
  const shape = ctx.op.outputShapes[0];
  return shape[shape.length - 1];
}

/** Ties the op's first input to the layer's own input channels (so a shared layer keeps one kernel). */
export function consumeInput(ctx: ChannelContext): Int32Array {
  const input = ctx.input(0);
  ctx.tie(input, ctx.owned('in', input.length));
  return input;
}
