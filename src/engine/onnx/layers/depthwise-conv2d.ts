/** DepthwiseConv2D (any depth multiplier): a grouped Conv with one group per input channel. */
import { activationName, num } from '../../../graph/config.js';
import { emitActivation } from '../activations.js';
import type { LayerEmitter } from '../types.js';
import {
  convUnsupported,
  convForward,
  convInputGrad,
  depthwiseFilterGrad,
  depthwiseLayout,
  windowGeom,
} from './conv-common.js';

export const depthwiseConv2d: LayerEmitter = {
  classes: ['DepthwiseConv2D'],
  unsupported(op) {
    return convUnsupported(op);
  },
  layout(weight) {
    return weight.shortName === 'depthwise_kernel'
      ? depthwiseLayout(weight.shape)
      : { perm: [0], shape: weight.shape, outAxis: 0 };
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const g = windowGeom(op.inputShapes[0], op.outputShapes[0], op.config, 'kernel_size', 'strides');
    const c = op.inputShapes[0][2];
    const m = num(op.config, 'depth_multiplier', 1);
    const w = ctx.weight(op, 'depthwise_kernel');
    const hasBias = ctx.hasWeight(op, 'bias');
    const z = convForward(b, x, w, hasBias ? ctx.weight(op, 'bias') : null, g, c, c, c * m);
    const act = emitActivation(b, ctx.activation(op, activationName(op.config)), z, 1);
    return {
      outputs: [act.y],
      backward: ([dy], need) => {
        const dz = act.backward(dy);
        if (hasBias) ctx.weightGrad(op, 'bias', b.reduceSum(dz, [0, 2, 3], false));
        ctx.weightGrad(op, 'depthwise_kernel', depthwiseFilterGrad(b, x, dz, g, c, m));
        return [need[0] ? convInputGrad(b, dz, w, g, c, c, c * m) : null];
      },
    };
  },
};
