/** Options and results of `morphnet run`: the full shrink → prune → expand → retrain cycle. */
import type { Target } from '../cost/index.js';
import type { Dataset } from '../data/types.js';
import type { Summary } from '../report/types.js';
import type { Progress } from '../train/types.js';

/** Options of {@link runMorphNet}. */
export interface RunOptions {
  /** The data set (train, test); validation is carved from train. */
  data: Dataset;
  /** The run folder: one subfolder per phase, `summary.json`, `report.html`. */
  out: string;
  target: Target;
  /** Hardware of the latency target; a measured runtime also times every network end to end. */
  hardware?: string;
  /** Also write `model.onnx` beside each phase's `model.json`. */
  onnx?: boolean;
  /** Final cost, absolute, in the target's unit (default: the seed's own cost). */
  budget?: number;
  /** Shrink target, absolute (default: half the seed's cost). */
  shrinkBudget?: number;
  /** Shrink/expand cycles (default 1). */
  cycles?: number;
  /** Epochs of each MorphNet shrink (default 1). */
  shrinkEpochs?: number;
  /** Epochs of each plain training: seed, uniform baseline, expanded nets (default 2). */
  retrainEpochs?: number;
  /** Round expanded widths to multiples of this (default 1). */
  roundTo?: number;
  /** Seed of initial weights, batch order and validation split (default 1). */
  seed?: number;
  engine?: 'auto' | 'onnx' | 'tfjs';
  batchSize?: number;
  /** Learning rate of the plain trainings (default 0.05) and of the shrink (default 0.02). */
  learningRate?: number;
  shrinkLearningRate?: number;
  /** Fraction of train held out for validation (default 0.1). */
  validationFraction?: number;
  /** Label of the seed model and data in the summary and the report. */
  modelLabel?: string;
  /** Called when a phase starts (or is found finished and skipped). */
  onPhase?: (event: PhaseEvent) => void;
  onProgress?: (phase: string, p: Progress) => void;
  onNotice?: (line: string) => void;
  /** Stop after this many phases of this call (tests: simulates an interruption). */
  stopAfterPhases?: number;
}

/** A phase starting, being skipped (already done), or finishing. */
export interface PhaseEvent {
  phase: string;
  state: 'start' | 'skip' | 'done';
  totalSteps?: number;
  detail?: string;
}

/** What {@link runMorphNet} returns. */
export interface RunResult {
  summary: Summary;
  finished: boolean;
  reportPath?: string;
}
