/** Concatenate along any axis (the channel axis in practice); backward splits dY. */
import { num } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';
import { graphAxis } from './layout.js';

export const concatenate: LayerEmitter = {
  classes: ['Concatenate'],
  forward(ctx, op, xs) {
    const { b } = ctx;
    const shape = op.outputShapes[0];
    const rawAxis = num(op.config, 'axis', -1);
    const modelAxis = rawAxis < 0 ? rawAxis + shape.length + 1 : rawAxis;
    const axis = graphAxis(shape, modelAxis);
    const sizes = op.inputShapes.map((s) => s[modelAxis - 1]);
    return {
      outputs: [b.op('Concat', xs, { axis })],
      backward: ([dy], need) => {
        const parts = b.node('Split', [dy, b.ints(sizes)], { axis }, xs.length);
        return need.map((k, i) => (k ? parts[i] : null));
      },
    };
  },
};
