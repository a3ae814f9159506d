/** Dense on a rank-2 input: Gemm (+ bias, activation); backward with two Gemms and a ReduceSum. */
import { activationName } from '../../../graph/config.js';
import { emitActivation, supportsActivation } from '../activations.js';
import type { LayerEmitter } from '../types.js';

export const dense: LayerEmitter = {
  classes: ['Dense'],
  unsupported(op) {
    if (op.inputShapes[0].length !== 1) return `Dense on a rank-${op.inputShapes[0].length + 1} input`;
    const act = activationName(op.config);
    return supportsActivation(act) ? null : `activation "${act}"`;
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const w = ctx.weight(op, 'kernel');
    const hasBias = ctx.hasWeight(op, 'bias');
    const z = b.op('Gemm', hasBias ? [x, w, ctx.weight(op, 'bias')] : [x, w]);
    const act = emitActivation(b, ctx.activation(op, activationName(op.config)), z, 1);
    return {
      outputs: [act.y],
      backward: ([dy], need) => {
        const dz = act.backward(dy);
        ctx.weightGrad(op, 'kernel', b.op('Gemm', [x, dz], { transA: 1 }));
        if (hasBias) ctx.weightGrad(op, 'bias', b.reduceSum(dz, [0], false));
        return [need[0] ? b.op('Gemm', [dz, w], { transB: 1 }) : null];
      },
    };
  },
};
