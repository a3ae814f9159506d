/**
 * Dropout and SpatialDropout2D. Training multiplies by a mask fed each step (0 or 1/(1−rate), drawn from
 * the engine's seeded generator; per channel for the spatial variant); inference is the identity.
 */
import { num } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';

export const dropout: LayerEmitter = {
  classes: ['Dropout', 'SpatialDropout2D'],
  unsupported(op) {
    const rate = num(op.config, 'rate', 0);
    if (!(rate >= 0 && rate < 1)) return `dropout rate ${rate}`;
    const noise = op.config['noise_shape'];
    if (noise !== undefined && noise !== null) return 'Dropout with noise_shape';
    if (op.className === 'SpatialDropout2D' && op.inputShapes[0].length !== 3)
      return 'SpatialDropout2D on a non-image input';
    return null;
  },
  forward(ctx, op, [x]) {
    const rate = num(op.config, 'rate', 0);
    if (ctx.mode === 'infer' || rate === 0)
      return { outputs: [x], backward: ([dy], need) => [need[0] ? dy : null] };
    const shape = op.inputShapes[0];
    const spatial = op.className === 'SpatialDropout2D';
    const dims = shape.length === 3 ? (spatial ? [shape[2], 1, 1] : [shape[2], shape[0], shape[1]]) : shape;
    const mask = ctx.dropoutMask(op, dims, rate, spatial);
    return {
      outputs: [ctx.b.mul(x, mask)],
      backward: ([dy], need) => [need[0] ? ctx.b.mul(dy, mask) : null],
    };
  },
};
