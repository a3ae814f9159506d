/**
 * Concatenate: on the channel axis, each input maps to its slice of the output (inputs are not tied to
 * each other); on another axis, every input's channel c is the output's channel c.
 */
import { num } from '../graph/config.js';
import type { Shape } from '../graph/types.js';
import { elementwiseMemory } from '../cost/bilinear.js';
import { concatenate as emitter } from '../engine/onnx/layers/concatenate.js';
import { combineDead } from './constants.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** Concatenate's config: the axis as written (−1: the last, channels). */
export interface ConcatenateArgs {
  axis: number;
}

/** Whether a concatenation of outputs of this shape runs over the channel (last) axis. */
function onChannels(a: ConcatenateArgs, outShape: Shape): boolean {
  return a.axis === -1 || a.axis === outShape.length;
}

const definition: LayerDefinition<ConcatenateArgs> = {
  names: ['Concatenate'],
  parse: (config) => ({ axis: num(config, 'axis', -1) }),
  outputShape(inputs, a) {
    const rank = inputs[0].length;
    const axis = (a.axis < 0 ? a.axis + rank + 1 : a.axis) - 1; // drop the batch axis
    if (axis < 0 || axis >= rank) throw new Error(`Concatenate axis ${a.axis} is out of range`);
    const out = [...inputs[0]];
    for (const s of inputs.slice(1)) {
      if (s.length !== rank || s.some((d, i) => i !== axis && d !== out[i])) {
        throw new Error(
          `inputs of shapes ${inputs.map((x) => `[${x.join(', ')}]`).join(' and ')} cannot be concatenated`,
        );
      }
      out[axis] += s[axis];
    }
    return out;
  },
  channels(ctx, a) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, i) => ctx.input(i));
    if (onChannels(a, ctx.op.outputShapes[0])) {
      const out = new Int32Array(inputs.reduce((s, x) => s + x.length, 0));
      let offset = 0;
      for (const x of inputs) {
        out.set(x, offset);
        offset += x.length;
      }
      ctx.setOutput(out);
    } else {
      for (const x of inputs.slice(1)) ctx.tie(inputs[0], x);
      ctx.setOutput(inputs[0]);
    }
  },
  cost: (resource, op) => (resource === 'memory' ? elementwiseMemory(op) : undefined),
  constant(ctx, a) {
    if (!onChannels(a, ctx.op.outputShapes[0])) {
      combineDead(ctx, (xs) => (xs.every((x) => x === xs[0]) ? xs[0] : NaN));
      return;
    }
    let offset = 0;
    for (let k = 0; k < ctx.op.inputs.length; k++) {
      const src = ctx.input(k);
      for (let i = 0; i < src.value.length; i++) {
        if (ctx.dead(offset + i)) {
          ctx.out.value[offset + i] = src.value[i];
          ctx.out.exact[offset + i] = src.exact[i];
        }
      }
      offset += src.value.length;
    }
  },
  latencyKind: 'concat',
  emitter,
  tfjs: { availability: 'native' },
};

/** Concatenate in the registry. */
export const concatenate = defineLayer(definition);
