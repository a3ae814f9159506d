/** Flatten and Reshape, in the model's channels-last order (NCHW tensors are transposed first). */
import type { LayerEmitter } from '../types.js';
import { toGraphOrder, toModelOrder } from './layout.js';

export const reshape: LayerEmitter = {
  classes: ['Flatten', 'Reshape'],
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const inShape = op.inputShapes[0];
    const outShape = op.outputShapes[0];
    const y = toGraphOrder(b, b.reshape(toModelOrder(b, x, inShape), [0, ...outShape]), outShape);
    return {
      outputs: [y],
      backward: ([dy], need) => {
        if (!need[0]) return [null];
        return [toGraphOrder(b, b.reshape(toModelOrder(b, dy, outShape), [0, ...inShape]), inShape)];
      },
    };
  },
};
