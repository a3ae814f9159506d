/** Conv2D: forward Conv (+ bias, activation); backward through the activation, bias, filter and input. */
import { activationName, num } from '../../../graph/config.js';
import { emitActivation } from '../activations.js';
import type { LayerEmitter } from '../types.js';
import {
  convFilterGrad,
  convForward,
  convUnsupported,
  convInputGrad,
  oihwLayout,
  windowGeom,
} from './conv-common.js';

export const conv2d: LayerEmitter = {
  classes: ['Conv2D'],
  unsupported(op) {
    if (num(op.config, 'groups', 1) !== 1) return 'grouped convolution';
    return convUnsupported(op);
  },
  layout(weight) {
    return weight.shortName === 'kernel'
      ? oihwLayout(weight.shape)
      : { perm: [0], shape: weight.shape, outAxis: 0 };
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const g = windowGeom(op.inputShapes[0], op.outputShapes[0], op.config, 'kernel_size', 'strides');
    const cin = op.inputShapes[0][2];
    const cout = op.outputShapes[0][2];
    const w = ctx.weight(op, 'kernel');
    const hasBias = ctx.hasWeight(op, 'bias');
    const z = convForward(b, x, w, hasBias ? ctx.weight(op, 'bias') : null, g, 1, cin, cout);
    const act = emitActivation(b, ctx.activation(op, activationName(op.config)), z, 1);
    return {
      outputs: [act.y],
      backward: ([dy], need) => {
        const dz = act.backward(dy);
        if (hasBias) ctx.weightGrad(op, 'bias', b.reduceSum(dz, [0, 2, 3], false));
        ctx.weightGrad(op, 'kernel', convFilterGrad(b, x, dz, g, cin, cout));
        return [need[0] ? convInputGrad(b, dz, w, g, 1, cin, cout) : null];
      },
    };
  },
};
