/**
 * Concatenate: on the channel axis, each input maps to its slice of the output (inputs are not tied to each
 * other); on another axis, every input's channel c is the output's channel c.
 */
import { num } from '../../graph/config.js';
import type { ChannelHandler } from '../types.js';

export const concatenateHandler: ChannelHandler = {
  classes: ['Concatenate'],
  propagate(ctx) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, i) => ctx.input(i));
    const rank = ctx.op.outputShapes[0].length;
    const axis = num(ctx.op.config, 'axis', -1);
    if (axis === -1 || axis === rank) {
      const out = new Int32Array(inputs.reduce((s, x) => s + x.length, 0));
      let offset = 0;
      for (const x of inputs) {
        out.set(x, offset);
        offset += x.length;
      }
      ctx.setOutput(out);
    } else {
      for (const x of inputs.slice(1)) ctx.tie(inputs[0], x);
      ctx.setOutput(inputs[0]);
    }
  },
};
