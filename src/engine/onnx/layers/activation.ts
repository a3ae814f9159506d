/** Activation layers: Activation, ReLU (max_value), LeakyReLU, ELU, Softmax. */
import { activationName, num } from '../../../graph/config.js';
import { emitActivation, relu6, supportsActivation } from '../activations.js';
import { F } from '../builder.js';
import type { LayerEmitter } from '../types.js';
import { channelAxis, graphAxis } from './layout.js';

export const activation: LayerEmitter = {
  classes: ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax'],
  unsupported(op) {
    if (op.className === 'Activation') {
      const act = activationName(op.config);
      return supportsActivation(act) ? null : `activation "${act}"`;
    }
    if (op.className === 'ReLU') {
      if (num(op.config, 'negative_slope', 0) !== 0) return 'ReLU with negative_slope';
      if (num(op.config, 'threshold', 0) !== 0) return 'ReLU with threshold';
    }
    if (op.className === 'ELU' && num(op.config, 'alpha', 1) !== 1) return 'ELU with alpha ≠ 1';
    return null;
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const shape = op.inputShapes[0];
    let act;
    switch (op.className) {
      case 'ReLU': {
        const max = op.config['max_value'];
        act = typeof max === 'number' ? relu6(b, x, max) : emitActivation(b, 'relu', x, 1);
        break;
      }
      case 'LeakyReLU': {
        const alpha = num(op.config, 'alpha', num(op.config, 'negative_slope', 0.3));
        const y = b.op('LeakyRelu', [x], { alpha: F(alpha) });
        const slope = b.op('Where', [b.op('Greater', [x, b.scalar(0)]), b.scalar(1), b.scalar(alpha)]);
        act = { y, backward: (dy: string) => b.mul(dy, slope) };
        break;
      }
      case 'ELU':
        act = emitActivation(b, 'elu', x, 1);
        break;
      case 'Softmax': {
        const axisCfg = op.config['axis'];
        const axis = graphAxis(
          shape,
          Array.isArray(axisCfg) ? Number(axisCfg[0]) : num(op.config, 'axis', -1),
        );
        act = emitActivation(b, ctx.activation(op, 'softmax'), x, axis);
        break;
      }
      default:
        act = emitActivation(b, ctx.activation(op, activationName(op.config)), x, channelAxis(shape));
    }
    return { outputs: [act.y], backward: ([dy], need) => [need[0] ? act.backward(dy) : null] };
  },
};
