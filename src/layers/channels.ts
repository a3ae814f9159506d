/** Channel-flow rules shared by several classes (see `src/groups/types.ts` for the context). */
import type { ChannelContext } from '../groups/types.js';

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

/**
 * A non-passthrough op: consumes its input group and starts a new group at its output, switched by the
 * output slices of `kernel` along `axis` (group lasso).
 */
export function startGroup(ctx: ChannelContext, kernel: string, axis: number): void {
  consumeInput(ctx);
  const out = ctx.owned('out', outputChannels(ctx));
  ctx.addSource({ kind: 'kernel', weight: `${ctx.layer.name}/${kernel}`, axis, ids: out });
  ctx.setOutput(out);
}

/** Output channel c is input channel c. */
export function passThrough(ctx: ChannelContext): void {
  ctx.setOutput(ctx.input(0));
}

/** Passes channels through one-to-one and ties them to the layer's own per-channel weights. */
export function passThroughOwned(ctx: ChannelContext): Int32Array {
  const input = ctx.input(0);
  const own = ctx.owned('channels', input.length);
  ctx.tie(input, own);
  ctx.setOutput(input);
  return own;
}

/** Keeps the op whole: all its input and output channels are pinned, its layer listed as a boundary. */
export function keepWhole(ctx: ChannelContext): void {
  for (let i = 0; i < ctx.inputCount; i++) ctx.pin(ctx.input(i), 'boundary');
  const out = ctx.fresh(outputChannels(ctx));
  ctx.pin(out, 'boundary');
  ctx.boundary();
  ctx.setOutput(out);
}

/** Entry j of the output holds channel j mod C of the input (Flatten, and reshapes that keep channels). */
export function repeatChannels(ctx: ChannelContext, size: number): void {
  const input = ctx.input(0);
  const out = new Int32Array(size);
  for (let j = 0; j < size; j++) out[j] = input[j % input.length];
  ctx.setOutput(out);
}
