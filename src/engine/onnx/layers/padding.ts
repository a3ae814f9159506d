/** ZeroPadding2D (Pad; backward Slice) and Cropping2D (Slice; backward Pad). */
import { padAmounts } from '../../../graph/config.js';
import type { GraphBuilder } from '../builder.js';
import type { LayerEmitter } from '../types.js';

function pad(b: GraphBuilder, x: string, [[t, bo], [l, r]]: [[number, number], [number, number]]): string {
  return b.op('Pad', [x, b.ints([0, 0, t, l, 0, 0, bo, r])]);
}

function crop(
  b: GraphBuilder,
  x: string,
  [[t, bo], [l, r]]: [[number, number], [number, number]],
  h: number,
  w: number,
): string {
  return b.op('Slice', [x, b.ints([t, l]), b.ints([h - bo, w - r]), b.ints([2, 3])]);
}

export const padding: LayerEmitter = {
  classes: ['ZeroPadding2D', 'Cropping2D'],
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const [h, w] = op.inputShapes[0];
    const [oh, ow] = op.outputShapes[0];
    if (op.className === 'ZeroPadding2D') {
      const amounts = padAmounts(op.config, 'padding');
      return {
        outputs: [pad(b, x, amounts)],
        backward: ([dy], need) => [need[0] ? crop(b, dy, amounts, oh, ow) : null],
      };
    }
    const amounts = padAmounts(op.config, 'cropping');
    return {
      outputs: [crop(b, x, amounts, h, w)],
      backward: ([dy], need) => [need[0] ? pad(b, dy, amounts) : null],
    };
  },
};
