/** InputLayer: the model's input channels, never pruned. */
import type { ChannelHandler } from '../types.js';

export const inputLayerHandler: ChannelHandler = {
  classes: ['InputLayer'],
  propagate(ctx) {
    const shape = ctx.op.outputShapes[0];
    const ids = ctx.fresh(shape[shape.length - 1]);
    ctx.pin(ids, 'input');
    ctx.setOutput(ids);
  },
};
