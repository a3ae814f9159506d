/**
 * Dropout. Training multiplies by a mask fed each step (0 or 1/(1−rate), drawn from the engine's seeded
 * generator); a `noise_shape` with 1s (EfficientNet's `(None, 1, 1, 1)`) makes the mask broadcast along
 * those axes. Inference is the identity. (tf.js has no SpatialDropout2D layer.)
 */
import { num } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';

export const dropout: LayerEmitter = {
  classes: ['Dropout'],
  unsupported(op) {
    const rate = num(op.config, 'rate', 0);
    if (!(rate >= 0 && rate < 1)) return `dropout rate ${rate}`;
    const noise = op.config['noise_shape'];
    if (noise === undefined || noise === null) return null;
    const dims = Array.isArray(noise) ? noise.slice(1) : [];
    const ok =
      dims.length === op.inputShapes[0].length &&
      dims.every((d, i) => d === null || d === 1 || d === op.inputShapes[0][i]);
    return ok ? null : `Dropout with noise_shape ${JSON.stringify(noise)}`;
  },
  forward(ctx, op, [x]) {
    const rate = num(op.config, 'rate', 0);
    if (ctx.mode === 'infer' || rate === 0)
      return { outputs: [x], backward: ([dy], need) => [need[0] ? dy : null] };
    const noise = op.config['noise_shape'];
    const shape = op.inputShapes[0].map((d, i) => (Array.isArray(noise) ? (noise[i + 1] ?? d) : d) as number);
    const dims = shape.length === 3 ? [shape[2], shape[0], shape[1]] : shape;
    const mask = ctx.dropoutMask(op, dims, rate);
    return {
      outputs: [ctx.b.mul(x, mask)],
      backward: ([dy], need) => [need[0] ? ctx.b.mul(dy, mask) : null],
    };
  },
};
