/** What the layer emitters and the compiler share: the emit context and the emitter contract. */
import type { LayerInfo, OpNode, WeightSpec } from '../../graph/types.js';
import type { GraphBuilder } from './builder.js';

/**
 * How a weight is laid out inside the ONNX graph: `native = reshape(transpose(tfValue, perm), shape)`.
 * `outAxis` is the output-channel axis of the native layout (for the per-channel extra gradient).
 */
export interface WeightLayout {
  perm: number[];
  shape: number[];
  outAxis: number;
}

/** Which graph is being emitted: a training forward (batch statistics) or inference (moving statistics). */
export type EmitMode = 'train' | 'infer';

/** Services the compiler gives an emitter while it emits one op. */
export interface EmitContext {
  b: GraphBuilder;
  mode: EmitMode;
  /** Graph tensor holding the weight `shortName` of the op's layer, in its native layout. */
  weight(op: OpNode, shortName: string): string;
  /** Whether the layer has this weight (e.g. `bias` with `use_bias: false`). */
  hasWeight(op: OpNode, shortName: string): boolean;
  /** Records the gradient of a trainable weight (native layout); repeated calls accumulate. */
  weightGrad(op: OpNode, shortName: string, grad: string): void;
  /** Records the new value of a moving statistic (training step only). */
  setStatistic(op: OpNode, shortName: string, value: string): void;
  /** Whether a new moving statistic is wanted (training step, not the gradients-only graph). */
  updatesStatistics: boolean;
  /** The activation to apply: `softmax` on the model output becomes `linear` (the loss takes logits). */
  activation(op: OpNode, name: string): string;
  /** A dropout mask input of the given dims (batch first, `N` symbolic), fed per step. */
  dropoutMask(op: OpNode, dims: number[], rate: number, perChannel: boolean): string;
}

/**
 * The backward pass of one op: gradients of its outputs in, gradients of its inputs out (`null` where
 * `need[i]` is false). Weight gradients go to `ctx.weightGrad`.
 */
export type Backward = (dOutputs: string[], need: boolean[]) => (string | null)[];

/** What an emitter's forward returns. */
export interface Emitted {
  outputs: string[];
  backward: Backward;
}

/** Emits forward and backward nodes for the ops of some Keras layer classes. */
export interface LayerEmitter {
  classes: string[];
  /** Why this op cannot be compiled, or null when it can. */
  unsupported?(op: OpNode, layer: LayerInfo): string | null;
  /** Native layout of a weight (default: tf.js layout, output channels last). */
  layout?(weight: WeightSpec, layer: LayerInfo): WeightLayout;
  forward(ctx: EmitContext, op: OpNode, inputs: string[]): Emitted;
}
