/** BatchNormalization: passes channels through one-to-one; its γ is the channels' switch (a source). */
import { bool } from '../../graph/config.js';
import type { ChannelHandler } from '../types.js';

export const batchNormalizationHandler: ChannelHandler = {
  classes: ['BatchNormalization'],
  propagate(ctx) {
    const input = ctx.input(0);
    const own = ctx.owned('channels', input.length);
    ctx.tie(input, own);
    if (bool(ctx.op.config, 'scale', true)) {
      ctx.addSource({ kind: 'gamma', weight: `${ctx.layer.name}/gamma`, axis: 0, ids: own });
    }
    ctx.setOutput(input);
  },
};
