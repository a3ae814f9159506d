/**
 * Element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum): channel c of every input and
 * of the output live or die together. An input of one channel broadcasts and is not tied.
 */
import { MERGE_CLASSES } from '../../graph/layer-specs.js';
import type { ChannelHandler } from '../types.js';

export const mergeHandler: ChannelHandler = {
  classes: MERGE_CLASSES,
  propagate(ctx) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, i) => ctx.input(i));
    const width = Math.max(...inputs.map((x) => x.length));
    const full = inputs.filter((x) => x.length === width);
    for (const x of full.slice(1)) ctx.tie(full[0], x);
    ctx.setOutput(full[0]);
  },
};
