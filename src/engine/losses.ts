/**
 * Training losses of both engines: their names, and which one a model trains with when the caller names
 * none (the model's output decides: softmax → categorical cross-entropy, one sigmoid unit → binary
 * cross-entropy; anything else must be named).
 */
import type * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';

/** The losses the engines train with (Keras' names). */
export const LOSS_NAMES = ['categorical-crossentropy', 'binary-crossentropy', 'mse', 'mae'] as const;

/** A loss the engines train with. */
export type LossName = (typeof LOSS_NAMES)[number];

/**
 * A loss bound to the model's output. `fused`: the output activation the loss absorbs (the engine then
 * works on the logits before it: softmax for categorical, sigmoid for binary cross-entropy), or `none`
 * (the output is taken as it is: logits for the cross-entropies on a linear output, values for mse/mae).
 */
export interface ResolvedLoss {
  name: LossName;
  fused: 'softmax' | 'sigmoid' | 'none';
}

/** What the loss needs to know of a model's (single) output. */
export interface OutputInfo {
  /** The output layer's name. */
  layer: string;
  /** Its activation, lower case without underscores (`linear` when it has none). */
  activation: string;
  /** Size of the last axis (classes or units). */
  units: number;
}

/** Whether the loss has an accuracy (categorical: argmax; binary: threshold 0.5); mse and mae have none. */
export function hasAccuracy(loss: LossName): boolean {
  return loss === 'categorical-crossentropy' || loss === 'binary-crossentropy';
}

/** The output layer, activation and units of a tf.js model. */
export function modelOutput(model: tf.LayersModel): OutputInfo {
  const out = model.outputs[0];
  const layer = out.sourceLayer;
  const config = layer.getConfig() as Record<string, unknown>;
  const className = layer.getClassName();
  const raw = className === 'Softmax' ? 'softmax' : config['activation'];
  const activation = typeof raw === 'string' ? raw.toLowerCase().replace(/_/g, '') : 'linear';
  return { layer: layer.name, activation, units: out.shape[out.shape.length - 1] ?? 0 };
}

const LIST = LOSS_NAMES.map((n) => `'${n}'`).join(', ');

/**
 * The loss to train `output` with: `requested`, checked against the output, or the default the output
 * implies. Throws a `MorphnetError` naming the output layer and the `loss` option when it cannot.
 */
export function resolveLoss(output: OutputInfo, requested?: LossName): ResolvedLoss {
  const { layer, activation, units } = output;
  const what = `the model's output layer "${layer}" (${activation}, ${units} unit${units === 1 ? '' : 's'})`;
  if (requested === undefined) {
    if (activation === 'softmax') return { name: 'categorical-crossentropy', fused: 'softmax' };
    if (activation === 'sigmoid' && units === 1) return { name: 'binary-crossentropy', fused: 'sigmoid' };
    throw new MorphnetError(
      `${what} does not say which loss to train with: set the loss option to one of ${LIST}.`,
    );
  }
  switch (requested) {
    case 'categorical-crossentropy':
      if (units < 2)
        throw new MorphnetError(
          `categorical-crossentropy needs at least 2 output units; ${what} has ${units}.`,
        );
      if (activation === 'softmax') return { name: requested, fused: 'softmax' };
      if (activation === 'linear') return { name: requested, fused: 'none' };
      throw new MorphnetError(
        `categorical-crossentropy needs a softmax or linear (logits) output; ${what} is not one.`,
      );
    case 'binary-crossentropy':
      if (activation === 'sigmoid') return { name: requested, fused: 'sigmoid' };
      if (activation === 'linear') return { name: requested, fused: 'none' };
      throw new MorphnetError(
        `binary-crossentropy needs a sigmoid or linear (logits) output; ${what} is not one.`,
      );
    case 'mse':
    case 'mae':
      return { name: requested, fused: 'none' };
    default:
      throw new MorphnetError(`unknown loss "${String(requested)}"; use one of ${LIST}.`);
  }
}
