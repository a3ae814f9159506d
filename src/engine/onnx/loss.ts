/**
 * The loss section of a compiled graph, between the forward and the backward: the loss (mean over the
 * batch and the output units), its gradient with respect to the output tensor, and the accuracy where
 * one exists. A fused softmax or sigmoid is left out of the forward (`outputActivation`), so the loss
 * works on logits: stable, and the gradient is `softmax(z)·Σy − y` or `σ(z) − y`.
 */
import type { GraphBuilder } from './builder.js';
import { activationKey } from './activations.js';
import type { ResolvedLoss } from '../losses.js';

/**
 * The emitted loss: the scalar `loss`; `gradient()` emits ∂loss/∂output and `accuracy()` the accuracy
 * (null for mse and mae), each only in the graphs that use it.
 */
export interface EmittedLoss {
  loss: string;
  gradient: () => string;
  accuracy: (() => string) | null;
}

/** The activation the model's output op applies in the graph: `linear` where the loss absorbs it. */
export function outputActivation(loss: ResolvedLoss, name: string): string {
  return loss.fused !== 'none' && activationKey(name) === loss.fused ? 'linear' : name;
}

/** The number of elements N·K of a [N, K] tensor, as a float tensor. */
function elementCount(b: GraphBuilder, y: string): string {
  return b.op('Cast', [b.op('Size', [y])], { to: 1 });
}

/** Number of rows N of a [N, K] tensor as a float tensor. */
function rowCount(b: GraphBuilder, y: string): string {
  return b.op('Cast', [b.op('Gather', [b.op('Shape', [y]), b.ints([0])], { axis: 0 })], { to: 1 });
}

/** Emits `loss` on the model's output `out` ([N, K], logits where fused) against the targets `y` ([N, K]). */
export function emitLoss(b: GraphBuilder, loss: ResolvedLoss, out: string, y: string): EmittedLoss {
  const all = (x: string) => b.reduceMean(x, [0, 1], false);
  switch (loss.name) {
    case 'categorical-crossentropy': {
      const logp = b.op('LogSoftmax', [out], { axis: 1 });
      const value = b.neg(b.reduceMean(b.reduceSum(b.mul(y, logp), [1], false), [0], false));
      return {
        loss: value,
        gradient: () => {
          const p = b.op('Exp', [logp]);
          return b.div(b.sub(b.mul(p, b.reduceSum(y, [1], true)), y), rowCount(b, y));
        },
        accuracy: () => {
          const hit = b.op('Equal', [b.op('ArgMax', [out], { axis: 1 }), b.op('ArgMax', [y], { axis: 1 })]);
          return b.reduceMean(b.op('Cast', [hit], { to: 1 }), [0], false);
        },
      };
    }
    case 'binary-crossentropy': {
      // max(z, 0) − z·y + log(1 + e^−|z|): the stable form of −y·log σ(z) − (1 − y)·log(1 − σ(z)).
      const softplus = b.op('Softplus', [b.neg(b.op('Abs', [out]))]);
      const value = all(b.add(b.sub(b.op('Relu', [out]), b.mul(out, y)), softplus));
      return {
        loss: value,
        gradient: () => b.div(b.sub(b.op('Sigmoid', [out]), y), elementCount(b, y)),
        // σ(z) > 0.5 exactly where z > 0.
        accuracy: () =>
          all(b.mask('Equal', b.mask('Greater', out, b.scalar(0)), b.mask('Greater', y, b.scalar(0.5)))),
      };
    }
    case 'mse': {
      const diff = b.sub(out, y);
      return {
        loss: all(b.mul(diff, diff)),
        gradient: () => b.div(b.mul(diff, b.scalar(2)), elementCount(b, y)),
        accuracy: null,
      };
    }
    case 'mae': {
      const diff = b.sub(out, y);
      return {
        loss: all(b.op('Abs', [diff])),
        gradient: () => b.div(b.op('Sign', [diff]), elementCount(b, y)),
        accuracy: null,
      };
    }
  }
}
