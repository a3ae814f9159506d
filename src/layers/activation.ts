/**
 * Activation layers: Activation (by name), ReLU (max_value, negative_slope, threshold), LeakyReLU, ELU,
 * Softmax, ThresholdedReLU. Channel-preserving, no FLOPs; a dead channel's constant goes through the
 * scalar function (softmax mixes channels: unknown).
 */
import { activationName, num } from '../graph/config.js';
import type { LayerConfig } from '../graph/types.js';
import { elementwiseMemory } from '../cost/bilinear.js';
import { activation as emitter } from '../engine/onnx/layers/activation.js';
import { activationFunction } from '../structure/activations.js';
import { passThrough } from './channels.js';
import { mapDead } from './constants.js';
import type { KerasClassName } from './names.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** An activation layer's config, read as its scalar function (NaN where the value is not known). */
export interface ActivationArgs {
  scalar: (x: number) => number;
}

const unknown = () => NaN;

function scalarOf(className: KerasClassName, config: LayerConfig): (x: number) => number {
  switch (className) {
    case 'Activation':
      return activationFunction(activationName(config)) ?? unknown;
    case 'ReLU': {
      const max = config['max_value'];
      const slope = num(config, 'negative_slope', 0);
      const threshold = num(config, 'threshold', 0);
      return (x) => {
        const y = x >= threshold ? x : slope * (x - threshold);
        return typeof max === 'number' ? Math.min(max, y) : y;
      };
    }
    case 'LeakyReLU': {
      const alpha = num(config, 'alpha', num(config, 'negative_slope', 0.3));
      return (x) => (x >= 0 ? x : alpha * x);
    }
    case 'ELU': {
      const alpha = num(config, 'alpha', 1);
      return (x) => (x > 0 ? x : alpha * (Math.exp(x) - 1));
    }
    case 'ThresholdedReLU': {
      const theta = num(config, 'theta', 1);
      return (x) => (x > theta ? x : 0);
    }
    default:
      return unknown; // Softmax mixes channels
  }
}

const definition: LayerDefinition<ActivationArgs> = {
  names: ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax', 'ThresholdedReLU'],
  parse: (config, className) => ({ scalar: scalarOf(className, config) }),
  outputShape: (inputs) => [...inputs[0]],
  channels: (ctx) => passThrough(ctx),
  cost: (resource, op) => (resource === 'memory' ? elementwiseMemory(op) : undefined),
  constant: (ctx, a) => mapDead(ctx, a.scalar),
  emitter,
  tfjs: { availability: 'native' },
};

/** The activation family in the registry. */
export const activation = defineLayer(definition);
