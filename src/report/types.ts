/**
 * The files a run writes and the report reads. `summary.json` follows DESIGN.md's contract (extra keys
 * allowed); `history.json` and `structure.json` are written per phase by the trainer; `pareto.json` by
 * `bench/pareto.ts`.
 */

import type { Target } from '../cost/model-cost.js';

export type { Target };

/**
 * A network's measured end-to-end latency at batch 1 on a runtime (`onnx-cpu`, `tfjs-wasm`), in ns: the
 * median of `runs` calls with its quartiles, timed side by side with the run's other networks.
 */
export interface MeasuredLatency {
  hardware: string;
  median: number;
  p25: number;
  p75: number;
  min: number;
  runs: number;
}

/** One evaluated network of a run: its cost figures and its test accuracy (in [0, 1]). */
export interface ModelFigures {
  flops: number;
  params: number;
  accuracy: number;
  /** The cost in the target's unit (FLOPs, kernel weights, ns, activations), when the target is not FLOPs. */
  cost?: number;
  /** Measured end-to-end latency, when the run's hardware is a measured runtime. */
  measuredLatency?: MeasuredLatency;
  [extra: string]: unknown;
}

/** Conv/dense layer name → output channels. */
export type Widths = Record<string, number>;

/** `summary.json` of `morphnet run`. */
export interface Summary {
  seed: ModelFigures;
  uniform: ModelFigures;
  cycles: { shrunk: ModelFigures; expanded: ModelFigures }[];
  target: Target;
  /** The final cost budget, in the target's unit. */
  budget: number;
  /** The shrink budget, in the target's unit, when known. */
  shrinkBudget?: number;
  /** Per-layer channel widths of each network, when known. */
  widths?: { seed: Widths; uniform?: Widths; cycles?: { shrunk?: Widths; expanded?: Widths }[] };
  /** Phase folders in order (e.g. `seed`, `cycle-1/shrink`), relative to the run folder. */
  phases?: string[];
  /** Free-form labels shown in the report's header. */
  model?: string;
  data?: string;
  [extra: string]: unknown;
}

/** One logged training step (`history.json`). */
export interface HistoryStep {
  step: number;
  epoch: number;
  /** Task loss. */
  loss: number;
  /** The cost-weighted regularization term (before λ), in the target's cost unit. */
  regularizer: number;
  /** Alive cost in the target's unit. */
  cost: number;
  lambda: number;
  /** Held-out accuracy in [0, 1], when evaluated at this step. */
  accuracy?: number;
  /** Alive output channels per layer. */
  alive?: Widths;
}

/** `history.json` of a training phase. */
export interface History {
  steps: HistoryStep[];
  [extra: string]: unknown;
}

/** `structure.json` (DESIGN.md "The structure file"). */
export interface StructureFile {
  version: 1;
  target: Target | string;
  threshold: number;
  alive: Widths;
  masks?: Record<string, number[]>;
  cost: { before: number; after: number };
  [extra: string]: unknown;
}

/** One cell of the Pareto benchmark: a method on a seed net at a budget, over several seeds. */
export interface ParetoEntry {
  /** The seed network's name. */
  net: string;
  /** e.g. `morphnet`, `uniform`, `morphnet-cycle2`. */
  method: string;
  /** Budget as a fraction of the seed's cost (0.25, 0.5, 1). */
  budget: number;
  /** Mean cost (FLOPs unless `target` says otherwise) of the resulting networks. */
  cost: number;
  /** Test accuracy in [0, 1]: mean, the error bar's half-width, and the per-seed values when known. */
  accuracy: { mean: number; spread: number; values?: number[] };
}

/** `bench/results/pareto.json`. */
export interface ParetoResults {
  dataset?: string;
  target?: Target | string;
  /** What `spread` means, e.g. `std` or `half range`. */
  spread?: string;
  entries: ParetoEntry[];
  [extra: string]: unknown;
}

/** One training phase of a run, as found in its folder. */
export interface Phase {
  name: string;
  history?: History;
  structure?: StructureFile;
}

/** Everything `renderReport` draws. */
export interface ReportInput {
  title?: string;
  summary: Summary;
  phases?: Phase[];
  pareto?: ParetoResults;
}
