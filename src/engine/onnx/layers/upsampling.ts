/** UpSampling2D (nearest): repeat by Reshape + Expand; backward sums each block. */
import { pair, str } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';

export const upSampling: LayerEmitter = {
  classes: ['UpSampling2D'],
  unsupported(op) {
    const mode = str(op.config, 'interpolation', 'nearest');
    return mode === 'nearest' ? null : `UpSampling2D with ${mode} interpolation`;
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const [h, w, c] = op.inputShapes[0];
    const [sh, sw] = pair(op.config, 'size', [2, 2]);
    const grid = b.op('Expand', [b.reshape(x, [0, c, h, 1, w, 1]), b.ints([1, 1, 1, sh, 1, sw])]);
    return {
      outputs: [b.reshape(grid, [0, c, h * sh, w * sw])],
      backward: ([dy], need) => [
        need[0] ? b.reduceSum(b.reshape(dy, [0, c, h, sh, w, sw]), [3, 5], false) : null,
      ],
    };
  },
};
