/** Activation functions: forward nodes and the backward of each, shared by every layer with an `activation`. */
import { F, type GraphBuilder } from './builder.js';

/** A normalised activation name: lower case, no underscores (`hard_sigmoid`, `hardSigmoid` → `hardsigmoid`). */
export function activationKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** An emitted activation: its output and the map from the output gradient to the input gradient. */
export interface EmittedActivation {
  y: string;
  backward: (dy: string) => string;
}

type ActivationEmitter = (b: GraphBuilder, x: string, axis: number) => EmittedActivation;

const ACTIVATIONS: Record<string, ActivationEmitter> = {
  linear: (_b, x) => ({ y: x, backward: (dy) => dy }),
  relu: (b, x) => {
    const y = b.op('Relu', [x]);
    return { y, backward: (dy) => b.mul(dy, b.mask('Greater', y, b.scalar(0))) };
  },
  relu6: (b, x) => relu6(b, x, 6),
  elu: (b, x) => {
    const y = b.op('Elu', [x], { alpha: F(1) });
    return {
      y,
      backward: (dy) =>
        b.mul(dy, b.op('Where', [b.op('Greater', [x, b.scalar(0)]), b.scalar(1), b.add(y, b.scalar(1))])),
    };
  },
  selu: (b, x) => {
    const y = b.op('Selu', [x], { alpha: F(SELU_ALPHA), gamma: F(SELU_SCALE) });
    const neg = b.add(y, b.scalar(SELU_ALPHA * SELU_SCALE));
    return {
      y,
      backward: (dy) =>
        b.mul(dy, b.op('Where', [b.op('Greater', [x, b.scalar(0)]), b.scalar(SELU_SCALE), neg])),
    };
  },
  sigmoid: (b, x) => {
    const y = b.op('Sigmoid', [x]);
    return { y, backward: (dy) => b.mul(dy, b.mul(y, b.sub(b.scalar(1), y))) };
  },
  hardsigmoid: (b, x) => {
    const y = b.op('HardSigmoid', [x], { alpha: F(0.2), beta: F(0.5) });
    return {
      y,
      backward: (dy) => {
        const inside = b.op('And', [b.op('Greater', [y, b.scalar(0)]), b.op('Less', [y, b.scalar(1)])]);
        return b.mul(dy, b.mul(b.op('Cast', [inside], { to: 1 }), b.scalar(0.2)));
      },
    };
  },
  tanh: (b, x) => {
    const y = b.op('Tanh', [x]);
    return { y, backward: (dy) => b.mul(dy, b.sub(b.scalar(1), b.mul(y, y))) };
  },
  softmax: (b, x, axis) => {
    const y = b.op('Softmax', [x], { axis });
    return { y, backward: (dy) => b.mul(y, b.sub(dy, b.reduceSum(b.mul(dy, y), [axis], true))) };
  },
  softplus: (b, x) => ({ y: b.op('Softplus', [x]), backward: (dy) => b.mul(dy, b.op('Sigmoid', [x])) }),
  softsign: (b, x) => {
    const d = b.add(b.scalar(1), b.op('Abs', [x]));
    return { y: b.op('Softsign', [x]), backward: (dy) => b.div(dy, b.mul(d, d)) };
  },
  swish: (b, x) => {
    const s = b.op('Sigmoid', [x]);
    const y = b.mul(x, s);
    return { y, backward: (dy) => b.mul(dy, b.add(s, b.mul(y, b.sub(b.scalar(1), s)))) };
  },
  mish: (b, x) => {
    const t = b.op('Tanh', [b.op('Softplus', [x])]);
    const y = b.mul(x, t);
    return {
      y,
      backward: (dy) => {
        const dt = b.mul(b.mul(x, b.op('Sigmoid', [x])), b.sub(b.scalar(1), b.mul(t, t)));
        return b.mul(dy, b.add(t, dt));
      },
    };
  },
  gelu: (b, x) => {
    const cdf = b.mul(b.scalar(0.5), b.add(b.scalar(1), b.op('Erf', [b.mul(x, b.scalar(Math.SQRT1_2))])));
    const y = b.mul(x, cdf);
    return {
      y,
      backward: (dy) => {
        const pdf = b.mul(
          b.op('Exp', [b.mul(b.mul(x, x), b.scalar(-0.5))]),
          b.scalar(1 / Math.sqrt(2 * Math.PI)),
        );
        return b.mul(dy, b.add(cdf, b.mul(x, pdf)));
      },
    };
  },
};

/** ReLU clipped at `max` (relu6, or the ReLU layer's `max_value`). */
export function relu6(b: GraphBuilder, x: string, max: number): EmittedActivation {
  const y = b.op('Clip', [x, b.scalar(0), b.scalar(max)]);
  return {
    y,
    backward: (dy) => {
      const inside = b.op('And', [b.op('Greater', [x, b.scalar(0)]), b.op('Less', [x, b.scalar(max)])]);
      return b.mul(dy, b.op('Cast', [inside], { to: 1 }));
    },
  };
}

/** Whether the engine can compile an activation name. */
export function supportsActivation(name: string): boolean {
  return activationKey(name) in ACTIVATIONS;
}

/** Emits an activation; `axis` is the channel axis of `x` (for softmax). */
export function emitActivation(b: GraphBuilder, name: string, x: string, axis: number): EmittedActivation {
  const emit = ACTIVATIONS[activationKey(name)];
  if (!emit) throw new Error(`activation "${name}" is not supported by the onnx engine`);
  return emit(b, x, axis);
}
