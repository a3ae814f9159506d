/** A layer the analysis does not understand: keeps all its input and output channels (a boundary). */
import type { ChannelHandler } from '../types.js';

export const boundaryHandler: ChannelHandler = {
  classes: [],
  propagate(ctx) {
    for (let i = 0; i < ctx.inputCount; i++) ctx.pin(ctx.input(i), 'boundary');
    const shape = ctx.op.outputShapes[0];
    const out = ctx.fresh(shape[shape.length - 1]);
    ctx.pin(out, 'boundary');
    ctx.boundary();
    ctx.setOutput(out);
  },
};
