/**
 * A MorphNet network regularizer: a cost target (FLOPs, size, latency, activations) combined with a kind
 * of per-channel switch (BatchNorm γ, or the group-lasso RMS norm of the conv/dense kernel). From the
 * current weights it gives the alive mask, the cost under the threshold, the regularization loss and its
 * derivative per source channel (the extra gradient the engines add), and the same loss as a tf.js scalar.
 */
import type * as tf from '@tensorflow/tfjs';
import { hardware as lookupHardware, type Hardware, type Target } from '../cost/index.js';
import type { ModelGraph } from '../graph/types.js';
import { analyzeGroups } from '../groups/index.js';
import type { GroupAnalysis, SourceSpec } from '../groups/types.js';
import { aliveMask, keepStrongest, type RevivedGroup, type SourceValues } from './alive.js';
import { classWeights, tableCost, termTable, type OpTermTable } from './class-weights.js';
import { lossTensor, type TensorLookup } from './loss-tensor.js';
import { channelSize, switchValues, type WeightValues } from './switch-values.js';
import { unregularizedGroups, type UnregularizedGroup } from './unregularized.js';

/** The per-channel switch a regularizer acts on. */
export type SwitchKind = 'gamma' | 'kernel';

/** Options shared by every network regularizer. */
export interface RegularizerOptions {
  /** A channel is alive when its switch value is above this (strict >); default 0.01. */
  threshold?: number;
  /** Hardware of the latency target (name from the table or a `Hardware`). */
  hardware?: string | Hardware;
  /** A precomputed `analyzeGroups(graph)`. */
  groups?: GroupAnalysis;
}

/** Everything a regularizer derives from one set of weights. */
export interface RegularizerState {
  /** Switch value per source channel (|γ| or the kernel's RMS norm), by weight name. */
  values: SourceValues;
  /** Regularization value per class: the max over its sources (morph-net's max grouping). */
  classValues: Float32Array;
  /** Alive flags per class, after a fully dead group kept its strongest channel. */
  alive: Uint8Array;
  /** Groups that were fully dead and kept their strongest channel. */
  revived: RevivedGroup[];
  /** Cost of the alive structure in the target's unit. */
  cost: number;
  /** The regularization loss `Σ_c w[c]·r[c]` (alive counts constant). */
  loss: number;
  /** `∂loss/∂r[c]` per class. */
  classWeights: Float64Array;
  /**
   * `∂loss/∂value` per source channel, by weight name: the class weight at the source holding the class
   * max, 0 elsewhere. For γ that is `∂loss/∂|γ_i|`; for a kernel, `∂loss/∂RMS_o`.
   */
  coefficients: Map<string, Float32Array>;
}

/** A MorphNet network regularizer over one model graph. */
export class NetworkRegularizer {
  /** Sources this regularizer acts on (the groups' sources of its switch kind). */
  readonly sources: SourceSpec[];
  /** Prunable groups with no switch of this kind: reported, never silently skipped. */
  readonly unregularized: UnregularizedGroup[];
  readonly threshold: number;
  readonly groups: GroupAnalysis;
  readonly hardware?: Hardware;
  /** Cost with every channel alive. */
  readonly initialCost: number;
  private readonly table: OpTermTable[];
  private readonly noSource: Uint8Array;

  constructor(
    readonly graph: ModelGraph,
    readonly target: Target,
    readonly switchKind: SwitchKind,
    options: RegularizerOptions = {},
  ) {
    this.threshold = options.threshold ?? 0.01;
    this.groups = options.groups ?? analyzeGroups(graph);
    const hw = options.hardware;
    this.hardware = typeof hw === 'string' ? lookupHardware(hw) : hw;
    if (target === 'latency' && !this.hardware) throw new Error('the latency target needs a hardware name');
    this.sources = this.groups.sources.filter((s) => s.kind === switchKind);
    this.unregularized = unregularizedGroups(graph, this.groups, switchKind);
    this.table = termTable(graph, target, this.hardware);
    this.noSource = new Uint8Array(this.groups.classCount).fill(1);
    for (const s of this.sources) for (const c of s.ids) this.noSource[c] = 0;
    this.initialCost = tableCost(this.table, this.groups, undefined);
  }

  /** A short name in morph-net's style, e.g. `GammaFlops`. */
  get name(): string {
    const t = { flops: 'Flops', size: 'ModelSize', latency: 'Latency', activations: 'Activation' }[
      this.target
    ];
    return `${this.switchKind === 'gamma' ? 'Gamma' : 'GroupLasso'}${t}`;
  }

  /** Weight names the regularizer reads (its sources' γ or kernels). */
  get weightNames(): string[] {
    return this.sources.map((s) => s.weight);
  }

  /** Cost of the structure given by an alive mask (undefined: every channel alive). */
  cost(alive?: Uint8Array): number {
    return tableCost(this.table, this.groups, alive);
  }

  /**
   * Cost of the structure at another threshold (e.g. 5× the threshold: a leading indicator of the channels
   * about to die, which the λ controller uses against overshoot).
   */
  costAtThreshold(state: RegularizerState, threshold: number): number {
    const alive = aliveMask(this.groups, this.sources, state.values, threshold);
    keepStrongest(this.groups, alive, state.classValues);
    return this.cost(alive);
  }

  /** Alive mask, cost, loss and coefficients at the given weights. */
  evaluate(weights: WeightValues): RegularizerState {
    const values = switchValues(this.sources, weights);
    const { classValues, holders } = this.maxHolders(values);
    const alive = aliveMask(this.groups, this.sources, values, this.threshold);
    const revived = keepStrongest(this.groups, alive, classValues);
    const w = classWeights(this.table, this.groups, alive, this.noSource);
    let loss = 0;
    for (let c = 0; c < w.length; c++) loss += w[c] * classValues[c];
    const coefficients = new Map<string, Float32Array>();
    this.sources.forEach((s, si) => {
      if (!values.has(s.weight)) return;
      const coef = new Float32Array(s.ids.length);
      s.ids.forEach((c, i) => {
        if (holders[c] === si * 2 ** 20 + i) coef[i] = w[c];
      });
      coefficients.set(s.weight, coef);
    });
    return {
      values,
      classValues,
      alive,
      revived,
      cost: this.cost(alive),
      loss,
      classWeights: w,
      coefficients,
    };
  }

  /** Per-class max of the source values and which source channel holds it (first one on ties). */
  private maxHolders(values: SourceValues): { classValues: Float32Array; holders: Float64Array } {
    const classValues = new Float32Array(this.groups.classCount);
    const holders = new Float64Array(this.groups.classCount).fill(-1);
    this.sources.forEach((s, si) => {
      const v = values.get(s.weight);
      if (!v) return;
      s.ids.forEach((c, i) => {
        if (holders[c] < 0 || v[i] > classValues[c]) {
          classValues[c] = v[i];
          holders[c] = si * 2 ** 20 + i;
        }
      });
    });
    return { classValues, holders };
  }

  /**
   * The coefficient vectors for `engine.setExtraGradient`, for regularization strength λ. γ sources get
   * `λ·∂loss/∂|γ_i|` (the engine adds `c[i]·sign(γ_i)`). Kernel sources: the engine adds
   * `c[o]·w/‖w_o‖₂`, while `∂RMS_o/∂w = w/(n_o·RMS_o) = w/(√n_o·‖w_o‖₂)` with n_o the elements of the
   * channel's slice, so `c[o] = λ·∂loss/∂RMS_o / √n_o`. With `only` (flags per class), classes not
   * flagged get 0 (the trainer's hold phase pushes only the channels already dead). `cap` bounds
   * `λ·∂loss/∂value` per channel (in switch-value units, before the kernel's 1/√n_o).
   */
  engineCoefficients(
    state: RegularizerState,
    lambda: number,
    only?: Uint8Array,
    cap = Infinity,
  ): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const s of this.sources) {
      let coef = state.coefficients.get(s.weight);
      if (!coef) continue;
      if (only) coef = coef.map((c, i) => (only[s.ids[i]] ? c : 0));
      let f = lambda;
      if (s.kind === 'kernel') {
        const layer = this.graph.layers.get(s.layer)!;
        const spec = layer.weights.find((w) => w.name === s.weight)!;
        f = lambda / Math.sqrt(channelSize(spec.shape, s.axis));
      }
      const scale = f / lambda;
      out[s.weight] = coef.map((c) => (lambda === 0 ? 0 : Math.min(c * lambda, cap) * scale));
    }
    return out;
  }

  /**
   * The regularization loss as a differentiable tf.js scalar of the source weights, with the alive
   * counts of `alive` (from `evaluate`) held constant. Its gradient equals `evaluate(...).coefficients`
   * chained through |γ| or the RMS norm.
   */
  lossTensor(weights: TensorLookup, alive: Uint8Array): tf.Scalar {
    const w = classWeights(this.table, this.groups, alive, this.noSource);
    return lossTensor(this.sources, this.groups.classCount, w, weights);
  }

  /** Alive output channels and their indices per conv/dense layer (the layers owning kernel sources). */
  layerAlive(alive: Uint8Array): { alive: Record<string, number>; masks: Record<string, number[]> } {
    const counts: Record<string, number> = {};
    const masks: Record<string, number[]> = {};
    for (const s of this.groups.sources) {
      if (s.kind !== 'kernel' || s.layer in counts) continue;
      const idx: number[] = [];
      s.ids.forEach((c, i) => {
        if (alive[c]) idx.push(i);
      });
      counts[s.layer] = idx.length;
      masks[s.layer] = idx;
    }
    return { alive: counts, masks };
  }
}
