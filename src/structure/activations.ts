/**
 * Scalar versions of the Keras activations (by name), to push a dead channel's constant value through the
 * layers that follow it. Unknown or channel-mixing activations (softmax) give NaN: the value is not known.
 */

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const FUNCTIONS: Record<string, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => Math.max(0, x),
  relu6: (x) => Math.min(6, Math.max(0, x)),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  sigmoid,
  hard_sigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  hardSigmoid: (x) => Math.min(1, Math.max(0, 0.2 * x + 0.5)),
  tanh: Math.tanh,
  softplus: (x) => Math.log(1 + Math.exp(x)),
  softsign: (x) => x / (1 + Math.abs(x)),
  swish: (x) => x * sigmoid(x),
  silu: (x) => x * sigmoid(x),
  mish: (x) => x * Math.tanh(Math.log(1 + Math.exp(x))),
};

/** The scalar function of an activation name, or undefined when unknown. */
export function activationFunction(name: string): ((x: number) => number) | undefined {
  return FUNCTIONS[name] ?? FUNCTIONS[name.toLowerCase()];
}

/** Applies a fused activation (by name) to a value (NaN for unknown activations). */
export function applyFusedActivation(name: string, x: number): number {
  const f = activationFunction(name);
  return f ? f(x) : NaN;
}
