/**
 * Activation layers: Activation (by name), ReLU (max_value, negative_slope, threshold), LeakyReLU, ELU,
 * Softmax, ThresholdedReLU. Channel-preserving, no FLOPs; a dead channel's constant goes through the
 * scalar function. A softmax over the channels mixes them: its channels are kept whole. tf.js cannot
 * differentiate ThresholdedReLU.
 */
import { activationName, num } from '../graph/config.js';
import type { LayerConfig, Shape } from '../graph/types.js';
import { elementwiseMemory } from '../cost/bilinear.js';
import { activation as emitter } from '../engine/onnx/layers/activation.js';
import { activationFunction } from '../structure/activations.js';
import { keepWhole, passThrough } from './channels.js';
import { mapDead } from './constants.js';
import type { KerasClassName } from './names.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** An activation layer's config, read as its scalar function (NaN where the value is not known). */
export interface ActivationArgs {
  scalar: (x: number) => number;
  /** Softmax's axis (batch included, as written; Keras' default −1, tf.js's 1). */
  softmaxAxis?: number;
}

function softmaxAxis(config: LayerConfig): number {
  const axis = config['axis'];
  return Number(Array.isArray(axis) ? axis[axis.length - 1] : (axis ?? -1));
}

/** The softmax axis as an index into a batch-less shape. */
function axisIndex(axis: number, shape: Shape): number {
  return (axis < 0 ? axis + shape.length + 1 : axis) - 1;
}

/** Whether the op is a softmax over the channel (last) axis: every output channel reads every input. */
function mixesChannels(a: ActivationArgs, shape: Shape): boolean {
  return a.softmaxAxis !== undefined && axisIndex(a.softmaxAxis, shape) === shape.length - 1;
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
  parse: (config, className) => ({
    scalar: scalarOf(className, config),
    ...(className === 'Softmax' ? { softmaxAxis: softmaxAxis(config) } : {}),
  }),
  outputShape: (inputs) => [...inputs[0]],
  channels: (ctx, a) => (mixesChannels(a, ctx.op.inputShapes[0]) ? keepWhole(ctx) : passThrough(ctx)),
  cost: (resource, op) => (resource === 'memory' ? elementwiseMemory(op) : undefined),
  constant: (ctx, a) => mapDead(ctx, a.scalar), // softmax: unknown
  emitter,
  tfjs: { availability: 'native', untrainable: ['ThresholdedReLU'] },
};

/** The activation family in the registry. */
export const activation = defineLayer(definition);
