/** GlobalAveragePooling2D and GlobalMaxPooling2D (keepdims or not). */
import { bool } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';

export const globalPooling: LayerEmitter = {
  classes: ['GlobalAveragePooling2D', 'GlobalMaxPooling2D'],
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const [h, w, c] = op.inputShapes[0];
    const keep = bool(op.config, 'keepdims', false);
    if (op.className === 'GlobalAveragePooling2D') {
      const y = b.reduceMean(x, [2, 3], keep);
      return {
        outputs: [y],
        backward: ([dy], need) => {
          if (!need[0]) return [null];
          const scaled = b.mul(b.reshape(dy, [0, c, 1, 1]), b.scalar(1 / (h * w)));
          return [b.op('Expand', [scaled, b.op('Shape', [x])])];
        },
      };
    }
    const xr = b.reshape(x, [0, c, h * w]);
    const y = b.op('ReduceMax', [x], { axes: [2, 3], keepdims: keep ? 1 : 0 });
    return {
      outputs: [y],
      backward: ([dy], need) => {
        if (!need[0]) return [null];
        const idx = b.op('ArgMax', [xr], { axis: 2, keepdims: 1 });
        const zeros = b.op('ConstantOfShape', [b.op('Shape', [xr])]);
        const scattered = b.op('ScatterElements', [zeros, idx, b.reshape(dy, [0, c, 1])], { axis: 2 });
        return [b.op('Reshape', [scattered, b.op('Shape', [x])])];
      },
    };
  },
};
