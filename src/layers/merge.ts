/**
 * Element-wise merges (Add, Subtract, Multiply, Average, Maximum, Minimum): channel c of every input and
 * of the output live or die together; an input of one channel broadcasts and is not tied. tf.js has no
 * Subtract layer; the onnx engine compiles the others, broadcasting inputs included.
 */
import type { Shape } from '../graph/types.js';
import { elementwiseMemory } from '../cost/bilinear.js';
import { broadcastMerge as emitter } from '../engine/onnx/layers/broadcast.js';
import { combineDead } from './constants.js';
import type { KerasClassName } from './names.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** A merge's config: which combination it computes. */
export interface MergeArgs {
  combine: (xs: number[]) => number;
}

const COMBINE: Partial<Record<KerasClassName, (xs: number[]) => number>> = {
  Add: (xs) => xs.reduce((a, b) => a + b, 0),
  Subtract: (xs) => xs[0] - xs[1],
  Multiply: (xs) => xs.reduce((a, b) => a * b, 1),
  Average: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  Maximum: (xs) => Math.max(...xs),
  Minimum: (xs) => Math.min(...xs),
};

function broadcast(inputs: Shape[]): Shape {
  if (inputs.length < 2) throw new Error('a merge layer needs at least two inputs');
  const rank = Math.max(...inputs.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const dims = inputs.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big)) {
      throw new Error(
        `inputs of shapes ${inputs.map((s) => `[${s.join(', ')}]`).join(' and ')} cannot be merged`,
      );
    }
    out.push(big);
  }
  return out;
}

const definition: LayerDefinition<MergeArgs> = {
  names: ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'],
  parse: (_config, className) => ({ combine: COMBINE[className]! }),
  outputShape: (inputs) => broadcast(inputs),
  channels(ctx) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, i) => ctx.input(i));
    const width = Math.max(...inputs.map((x) => x.length));
    const full = inputs.filter((x) => x.length === width);
    for (const x of full.slice(1)) ctx.tie(full[0], x);
    ctx.setOutput(full[0]);
  },
  cost: (resource, op) => (resource === 'memory' ? elementwiseMemory(op) : undefined),
  constant: (ctx, a) => combineDead(ctx, a.combine),
  latencyKind: 'add',
  emitter,
  tfjs: { availability: 'native', lacking: ['Subtract'] },
};

/** The merge family in the registry. */
export const merge = defineLayer(definition);
