/**
 * Scalar versions of the Keras activations, to push a dead channel's constant value through the layers
 * that follow it. Unknown or channel-mixing activations (softmax) give NaN: the value is not known.
 */
import { activationName, num } from '../graph/config.js';
import type { LayerConfig } from '../graph/types.js';

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
  mish: (x) => x * Math.tanh(Math.log(1 + Math.exp(x))),
};

/** The scalar function of an activation name, or undefined when unknown. */
export function activationFunction(name: string): ((x: number) => number) | undefined {
  return FUNCTIONS[name] ?? FUNCTIONS[name.toLowerCase()];
}

/** Applies a layer's fused `activation` config to a value (NaN for unknown activations). */
export function applyFusedActivation(config: LayerConfig, x: number): number {
  const f = activationFunction(activationName(config));
  return f ? f(x) : NaN;
}

/** Applies an activation layer (Activation, ReLU, LeakyReLU, ELU, ThresholdedReLU, ...) to a value. */
export function applyActivationLayer(className: string, config: LayerConfig, x: number): number {
  switch (className) {
    case 'Activation':
      return applyFusedActivation(config, x);
    case 'ReLU': {
      const max = config['max_value'];
      const slope = num(config, 'negative_slope', 0);
      const threshold = num(config, 'threshold', 0);
      let y = x >= threshold ? x : slope * (x - threshold);
      if (typeof max === 'number') y = Math.min(max, y);
      return y;
    }
    case 'LeakyReLU':
      return x >= 0 ? x : num(config, 'alpha', 0.3) * x;
    case 'ELU':
      return x > 0 ? x : num(config, 'alpha', 1) * (Math.exp(x) - 1);
    case 'ThresholdedReLU':
      return x > num(config, 'theta', 1) ? x : 0;
    case 'Rescaling':
      return x * num(config, 'scale', 1) + num(config, 'offset', 0);
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
    case 'AlphaDropout':
    case 'Masking':
      return x; // identity at inference
    default:
      return NaN;
  }
}
