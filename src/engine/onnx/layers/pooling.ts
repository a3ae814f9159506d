/**
 * MaxPooling2D and AveragePooling2D (TF padding; the average excludes padded pixels). Max backward scatters
 * dY to the argmax of each window (MaxPool's Indices; overlapping windows add, opset 16); average backward
 * divides dY by each window's pixel count and spreads it with a ones-filter ConvTranspose.
 */
import type { LayerEmitter } from '../types.js';
import { convInputGrad, windowGeom, type ConvGeom } from './conv-common.js';

/** Number of real (unpadded) input pixels in each output window: `[OH·OW]`. */
function windowCounts(g: ConvGeom): Float32Array {
  const out = new Float32Array(g.outH * g.outW);
  const span = (o: number, s: number, k: number, p: number, size: number) => {
    const start = o * s - p;
    return Math.min(start + k, size) - Math.max(start, 0);
  };
  for (let i = 0; i < g.outH; i++) {
    for (let j = 0; j < g.outW; j++) {
      out[i * g.outW + j] =
        span(i, g.s[0], g.k[0], g.pads[0], g.inH) * span(j, g.s[1], g.k[1], g.pads[1], g.inW);
    }
  }
  return out;
}

export const pooling: LayerEmitter = {
  classes: ['MaxPooling2D', 'AveragePooling2D'],
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const g = windowGeom(op.inputShapes[0], op.outputShapes[0], op.config, 'pool_size', 'strides');
    const attrs = { kernel_shape: g.k, strides: g.s, pads: g.pads };
    const c = op.inputShapes[0][2];
    if (op.className === 'MaxPooling2D') {
      const [y, indices] = b.node('MaxPool', [x], attrs, ctx.mode === 'train' ? 2 : 1);
      const overlap = g.s[0] < g.k[0] || g.s[1] < g.k[1];
      return {
        outputs: [y],
        backward: ([dy], need) => {
          if (!need[0]) return [null];
          if (overlap) b.opset = Math.max(b.opset, 16);
          const zeros = b.op('ConstantOfShape', [b.reshape(b.op('Size', [x]), [1])]);
          const flat = b.op('ScatterElements', [zeros, b.reshape(indices, [-1]), b.reshape(dy, [-1])], {
            axis: 0,
            ...(overlap ? { reduction: 'add' } : {}),
          });
          return [b.op('Reshape', [flat, b.op('Shape', [x])])];
        },
      };
    }
    const y = b.op('AveragePool', [x], { ...attrs, count_include_pad: 0 });
    return {
      outputs: [y],
      backward: ([dy], need) => {
        if (!need[0]) return [null];
        const counts = b.feed(
          `poolcount${g.inH}x${g.inW}k${g.k}s${g.s}p${g.pads}`,
          [1, 1, g.outH, g.outW],
          () => windowCounts(g),
        );
        const ones = b.feed(`ones${c}x${g.k[0]}x${g.k[1]}`, [c, 1, g.k[0], g.k[1]], () =>
          new Float32Array(c * g.k[0] * g.k[1]).fill(1),
        );
        return [convInputGrad(b, b.div(dy, counts), ones, g, c, c, c)];
      },
    };
  },
};
