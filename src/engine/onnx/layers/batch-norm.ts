/**
 * BatchNormalization over the channel axis. Training: batch mean and biased variance (centred form),
 * moving statistics `m ← m − (m − batch)·(1 − momentum)` as tf.js does; backward
 * dβ = ΣdY, dγ = Σ dY·x̂, dX = γ·invstd·(dY − mean(dY) − x̂·mean(dY·x̂)). Inference: moving statistics.
 */
import { bool, num } from '../../../graph/config.js';
import type { LayerEmitter } from '../types.js';
import { isSpatial } from './layout.js';

export const batchNorm: LayerEmitter = {
  classes: ['BatchNormalization'],
  unsupported(op) {
    const rank = op.inputShapes[0].length;
    return rank === 3 || rank === 1 ? null : `BatchNormalization on a rank-${rank + 1} input`;
  },
  forward(ctx, op, [x]) {
    const { b } = ctx;
    const shape = op.inputShapes[0];
    const c = shape[shape.length - 1];
    const spatial = isSpatial(shape);
    const axes = spatial ? [0, 2, 3] : [0];
    const perChannel = (v: string) => (spatial ? b.reshape(v, [c, 1, 1]) : v);
    const eps = num(op.config, 'epsilon', 1e-3);
    const momentum = num(op.config, 'momentum', 0.99);
    const hasGamma = bool(op.config, 'scale', true) && ctx.hasWeight(op, 'gamma');
    const hasBeta = bool(op.config, 'center', true) && ctx.hasWeight(op, 'beta');
    const gamma = hasGamma ? ctx.weight(op, 'gamma') : null;
    const beta = hasBeta ? ctx.weight(op, 'beta') : null;

    if (ctx.mode === 'infer') {
      const scale = gamma ?? b.floats(new Array(c).fill(1), [c]);
      const bias = beta ?? b.floats(new Array(c).fill(0), [c]);
      const mm = ctx.weight(op, 'moving_mean');
      const mv = ctx.weight(op, 'moving_variance');
      const y = b.op('BatchNormalization', [x, scale, bias, mm, mv], { epsilon: { float: eps } });
      return { outputs: [y], backward: () => [null] };
    }

    const mean = b.reduceMean(x, axes, true);
    const xc = b.sub(x, mean);
    const variance = b.reduceMean(b.mul(xc, xc), axes, true);
    const invstd = b.op('Reciprocal', [b.op('Sqrt', [b.add(variance, b.scalar(eps))])]);
    const flat = (v: string) => b.reshape(v, [c]);
    const ones = b.floats(new Array(c).fill(1), [c]);
    const zeros = b.floats(new Array(c).fill(0), [c]);
    // y = xc·(γ·invstd) + β in one pass: a BatchNormalization op with mean 0, variance 1, ε 0.
    const affine = (v: string, scale: string, bias: string) =>
      b.op('BatchNormalization', [v, scale, bias, zeros, ones], { epsilon: { float: 0 } });
    const scale = flat(gamma ? b.mul(invstd, perChannel(gamma)) : invstd);
    const y = affine(xc, scale, beta ?? zeros);
    if (ctx.updatesStatistics) {
      const decay = b.scalar(1 - momentum);
      for (const [name, batch] of [
        ['moving_mean', mean],
        ['moving_variance', variance],
      ] as const) {
        const old = ctx.weight(op, name);
        ctx.setStatistic(op, name, b.sub(old, b.mul(b.sub(old, flat(batch)), decay)));
      }
    }
    return {
      outputs: [y],
      backward: ([dy], need) => {
        // dβ = ΣdY, dγ = invstd·ΣdY·xc; dX = k·dY − k·ΣdY/M − (k·invstd·dγ/M)·xc with k = γ·invstd.
        const sdy = flat(b.reduceSum(dy, axes, false));
        const dgamma = b.mul(flat(b.reduceSum(b.mul(dy, xc), axes, false)), flat(invstd));
        if (beta) ctx.weightGrad(op, 'beta', sdy);
        if (gamma) ctx.weightGrad(op, 'gamma', dgamma);
        if (!need[0]) return [null];
        const invM = b.div(b.scalar(c), b.op('Cast', [b.op('Size', [x])], { to: 1 }));
        const k = scale;
        const a = b.neg(b.mul(b.mul(k, flat(invstd)), b.mul(dgamma, invM)));
        const bias = b.neg(b.mul(k, b.mul(sdy, invM)));
        return [b.add(b.mul(dy, perChannel(k)), affine(xc, a, bias))];
      },
    };
  },
};
