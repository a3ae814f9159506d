/** SeparableConv2D: a depthwise conv (multiplier m, no bias) then a 1×1 pointwise conv (+ bias, activation). */
import { activationName, num } from '../../../graph/config.js';
import { emitActivation } from '../activations.js';
import type { LayerEmitter } from '../types.js';
import {
  convUnsupported,
  convFilterGrad,
  convForward,
  convInputGrad,
  depthwiseFilterGrad,
  depthwiseLayout,
  oihwLayout,
  windowGeom,
  type ConvGeom,
} from './conv-common.js';

export const separableConv2d: LayerEmitter = {
  classes: ['SeparableConv2D'],
  unsupported(op) {
    return convUnsupported(op);
  },
  layout(weight) {
    if (weight.shortName === 'depthwise_kernel') return depthwiseLayout(weight.shape);
    if (weight.shortName === 'pointwise_kernel') return oihwLayout(weight.shape);
    return { perm: [0], shape: weight.shape, outAxis: 0 };
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const g = windowGeom(op.inputShapes[0], op.outputShapes[0], op.config, 'kernel_size', 'strides');
    const c = op.inputShapes[0][2];
    const m = num(op.config, 'depth_multiplier', 1);
    const cout = op.outputShapes[0][2];
    const point: ConvGeom = {
      k: [1, 1],
      s: [1, 1],
      d: [1, 1],
      pads: [0, 0, 0, 0],
      inH: g.outH,
      inW: g.outW,
      outH: g.outH,
      outW: g.outW,
    };
    const wd = ctx.weight(op, 'depthwise_kernel');
    const wp = ctx.weight(op, 'pointwise_kernel');
    const hasBias = ctx.hasWeight(op, 'bias');
    const mid = convForward(b, x, wd, null, g, c, c, c * m);
    const z = convForward(b, mid, wp, hasBias ? ctx.weight(op, 'bias') : null, point, 1, c * m, cout);
    const act = emitActivation(b, ctx.activation(op, activationName(op.config)), z, 1);
    return {
      outputs: [act.y],
      backward: ([dy], need) => {
        const dz = act.backward(dy);
        if (hasBias) ctx.weightGrad(op, 'bias', b.reduceSum(dz, [0, 2, 3], false));
        ctx.weightGrad(op, 'pointwise_kernel', convFilterGrad(b, mid, dz, point, c * m, cout));
        const dmid = convInputGrad(b, dz, wp, point, 1, c * m, cout);
        ctx.weightGrad(op, 'depthwise_kernel', depthwiseFilterGrad(b, x, dmid, g, c, m));
        return [need[0] ? convInputGrad(b, dmid, wd, g, c, c, c * m) : null];
      },
    };
  },
};
