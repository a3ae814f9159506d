/** The training-engine interface every trainer, CLI command and benchmark talks to. */
import type * as tf from '@tensorflow/tfjs';
import type { LossName } from './losses.js';

/** Options of `createEngine`. */
export interface EngineOptions {
  /** `auto` (default): `onnx` when every layer compiles and onnxruntime-node loads, else `tfjs`. */
  engine?: 'auto' | 'onnx' | 'tfjs';
  /** Default `sgd`. */
  optimizer?: 'sgd' | 'adam';
  /** Default 0.01 for SGD, 0.001 for Adam. */
  learningRate?: number;
  /** SGD momentum (PyTorch form `v ← μv + g; w ← w − lr·v`); default 0.9. */
  momentum?: number;
  /** Nesterov momentum (`w ← w − lr·(g + μv)`); default false. */
  nesterov?: boolean;
  /** L2 weight decay added to the gradient of kernels only (not biases, γ or β); default 0. */
  weightDecay?: number;
  /** Adam β1, β2, ε; defaults 0.9, 0.999, 1e-7 (tf.js's). */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Intra-op threads of the onnx engine; default: all cores. */
  threads?: number;
  /** onnx engine: run eligible convs through onnxruntime's NCHWc kernels (block detected at run time); default true. */
  nchwc?: boolean;
  /**
   * The training loss. Default: what the model's output implies (softmax → `categorical-crossentropy`,
   * one sigmoid unit → `binary-crossentropy`); any other output must name it. The cross-entropies take a
   * linear output as logits; `mse` and `mae` take `ys` in the model's output shape.
   */
  loss?: LossName;
  /** Seed of the dropout masks (onnx engine). */
  seed?: number;
  /** Receives one-line notices (the engine fallback); default: `console.warn`. */
  onNotice?: (line: string) => void;
}

/** Result of `Engine.gradients`. */
export interface GradientResult {
  loss: number;
  /** Gradient of every trainable weight, keyed by manifest name, in the tf.js weight's shape and layout. */
  grads: Record<string, Float32Array>;
}

/**
 * Result of `Engine.evaluate`: the loss (mean over the batch), and `accuracy`, the fraction of correct
 * predictions where it means something — argmax against argmax (categorical cross-entropy), output > 0.5
 * against target > 0.5 per unit (binary cross-entropy) — and NaN for `mse` and `mae` (read the loss).
 */
export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** A training engine bound to one model (one set of widths). */
export interface Engine {
  readonly kind: 'onnx' | 'tfjs';
  /** The loss it trains with (the `loss` option, or the model output's default). */
  readonly loss: LossName;
  /**
   * One optimizer step on a batch (NHWC float32 `xs`; `ys` one-hot for categorical, 0/1 per unit for
   * binary cross-entropy, in the output's shape for mse/mae); resolves to the batch loss.
   */
  step(xs: tf.Tensor, ys: tf.Tensor): Promise<number>;
  /** Loss and gradients (training-mode forward, batch statistics; no update; extra gradient included). */
  gradients(xs: tf.Tensor, ys: tf.Tensor): Promise<GradientResult>;
  /** Inference-mode loss and accuracy (moving statistics); accuracy is NaN for mse and mae. */
  evaluate(xs: tf.Tensor, ys: tf.Tensor): Promise<Evaluation>;
  /**
   * Per-channel extra gradient, per weight name (`null` removes one): for a 1-D weight such as `bn/gamma`,
   * `c[i]·sign(w[i])`; for a kernel, `c[o]·w[…,o]/‖w[…,o]‖₂` per output channel o (0 where the norm is 0).
   * Applied inside `step` and `gradients` until changed.
   */
  setExtraGradient(coefficients: Record<string, Float32Array | null>): void;
  setLearningRate(lr: number): void;
  /**
   * The current value of one weight (manifest name), in tf.js shape and layout; moving statistics too.
   * Both engines implement it (optional in the type only so duck-typed callers keep compiling).
   */
  weight?(name: string): Float32Array;
  /**
   * The optimizer state in tf.js layout: `${weight}#velocity` (SGD momentum) or `${weight}#m`, `${weight}#v`
   * (Adam moments) per trainable weight, and `#step` (the step count, one value). Copies.
   */
  exportOptimizerState(): Promise<Record<string, Float32Array>>;
  /**
   * Replaces the optimizer state by one from `exportOptimizerState` of an engine with the same model and
   * optimizer (either kind); throws a `MorphnetError` on a missing, unknown or mis-sized key.
   */
  importOptimizerState(state: Record<string, Float32Array>): void;
  /** Writes the engine's weights and BN moving statistics into `model` (same architecture). */
  syncTo(model: tf.LayersModel): Promise<void>;
  dispose(): void;
}
