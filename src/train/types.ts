/** Options, history and results of the MorphNet trainer. */
import type { Target } from '../cost/index.js';
import type { Split } from '../data/types.js';
import type { NetworkRegularizer, SwitchKind } from '../regularizers/index.js';

/** One row of `history.json`. */
export interface HistoryEntry {
  step: number;
  epoch: number;
  /** Mean task loss over the steps since the previous row. */
  loss: number;
  /** The regularization term (before λ) at the last control update, in the target's cost unit. */
  regularizer: number;
  /** Alive cost under the threshold. */
  cost: number;
  lambda: number;
  /** Held-out (validation) accuracy. */
  accuracy?: number;
  /** Alive output channels per conv/dense layer. */
  alive?: Record<string, number>;
}

/** The `history.json` file. */
export interface History {
  steps: HistoryEntry[];
}

/** A progress report (every step). */
export interface Progress {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  cost: number;
  lambda: number;
  accuracy?: number;
}

/** Options of `trainMorphNet`. */
export interface TrainOptions {
  /** The training split and the held-out split accuracy is logged on. */
  data: { train: Split; validation: Split; test?: Split };
  target: Target;
  /** Hardware name for the latency target. */
  hardware?: string;
  /** Absolute budget in the target's unit (λ adapts toward it); exclusive with `strength`. */
  budget?: number;
  /** Fixed regularization strength λ (morph-net's behaviour). */
  strength?: number;
  /** Alive threshold on |γ| or the kernel RMS; default 0.01. */
  threshold?: number;
  /** Switch kind; default γ when the model has BatchNorm γ, else group lasso. */
  switchKind?: SwitchKind;
  /** Length of the run: `steps` wins over `epochs` (default 1 epoch). */
  epochs?: number;
  steps?: number;
  /** Default 64. */
  batchSize?: number;
  /** Fixed learning rate (morph-net: no decay during structure learning); default 0.02 (SGD). */
  learningRate?: number;
  /** SGD momentum; default 0.9. */
  momentum?: number;
  /** `auto` (default), `onnx` or `tfjs`. */
  engine?: 'auto' | 'onnx' | 'tfjs';
  /** Seed of the batch order (and the engine's dropout); default 1. */
  seed?: number;
  /**
   * BatchNorm momentum during training (default 0.9: tf.js' 0.99 averages over ~100 steps' worth of
   * statistics, too slow for runs of a few hundred steps). The model's own value is restored afterwards.
   */
  bnMomentum?: number;
  /**
   * Training-mode passes at learning rate 0 after the last step to refresh the BN moving statistics
   * (weights unchanged); default min(50, 10% of the steps); 0 turns it off.
   */
  recalibrationSteps?: number;
  /**
   * With a budget: once it is met after 70% of the run, keep the structure (push only the dead channels,
   * at the last λ, so they stay dead; stop shrinking the alive ones) for the rest of the run. Default true.
   */
  holdStructure?: boolean;
  /** Steps between updates of the alive counts, coefficients and λ; default 10. */
  controlEvery?: number;
  /** Steps between history rows; default: about 20 rows per run (a multiple of `controlEvery`). */
  logEvery?: number;
  /** Held-out examples evaluated per history row; default 2000. */
  validationLimit?: number;
  /** Folder for `checkpoints/` (and resuming); none: no checkpoints. */
  checkpointDir?: string;
  /** Steps between checkpoints; default: every history row. */
  checkpointEvery?: number;
  onProgress?: (p: Progress) => void;
  /** One-line notices (engine fallback, revived groups, unregularized groups). */
  onNotice?: (line: string) => void;
  /** Stop after this many steps of this call (simulates an interruption; the run stays resumable). */
  stopAfter?: number;
}

/** What `trainMorphNet` returns. */
export interface TrainResult {
  engine: 'onnx' | 'tfjs';
  steps: number;
  /** True when the run reached its last step (false after `stopAfter`). */
  finished: boolean;
  resumedFrom?: number;
  initialCost: number;
  budget?: number;
  cost: number;
  lambda: number;
  /** Alive flags per channel class, after fully dead groups kept their strongest channel. */
  alive: Uint8Array;
  aliveByLayer: Record<string, number>;
  masks: Record<string, number[]>;
  validationAccuracy: number;
  /** Accuracy on `data.test` at the end (inference mode), when given and the run finished. */
  testAccuracy?: number;
  /** The regularizer the run used (for the structure file). */
  regularizer: NetworkRegularizer;
  history: History;
  warnings: string[];
}
