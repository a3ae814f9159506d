/**
 * Merges whose inputs broadcast (a squeeze-and-excite `Multiply` of `[H, W, C]` by `[1, 1, C]`): the
 * forward of `merge` (ONNX broadcasts), and each input's gradient summed over the axes it was broadcast
 * along. Inputs of one shape go to `merge` unchanged.
 */
import type { Shape } from '../../../graph/types.js';
import type { LayerEmitter } from '../types.js';
import { isSpatial } from './layout.js';
import { merge } from './merge.js';

/** Graph-layout axes (batch included) along which a tensor of `shape` broadcasts to `out`. */
function broadcastAxes(shape: Shape, out: Shape): number[] {
  const toGraph = (s: Shape) => (isSpatial(s) ? [s[2], s[0], s[1]] : s);
  const a = toGraph(shape);
  const o = toGraph(out);
  return a.flatMap((d, i) => (d === 1 && o[i] !== 1 ? [i + 1] : []));
}

export const broadcastMerge: LayerEmitter = {
  classes: merge.classes,
  unsupported(op, layer) {
    const out = op.outputShapes[0];
    if (op.inputShapes.some((s) => s.length !== out.length))
      return `${op.className} of inputs of different ranks`;
    return merge.unsupported?.({ ...op, inputShapes: op.inputShapes.map(() => out) }, layer) ?? null;
  },
  forward(ctx, op, xs) {
    const out = op.outputShapes[0];
    const emitted = merge.forward(ctx, op, xs);
    const axes = op.inputShapes.map((s) => broadcastAxes(s, out));
    if (axes.every((a) => a.length === 0)) return emitted;
    return {
      outputs: emitted.outputs,
      backward: (dOutputs, need) =>
        emitted
          .backward(dOutputs, need)
          .map((d, i) => (d && axes[i].length > 0 ? ctx.b.reduceSum(d, axes[i], true) : d)),
    };
  },
};
