/**
 * Budget control of the regularization strength λ (DESIGN.md "Budgets"): instead of a log-scale search,
 * λ adapts during training so that the alive cost reaches the budget by `reach` (default 70%) of the run
 * and holds it.
 *
 * The rule:
 * - A reference path from the initial cost C₀ to the budget B, geometric in time: nothing is asked
 *   during the first `delay` (10%) of the run, then `target(t) = C₀·(B/C₀)^s` with s rising linearly
 *   from 0 to 1 until `reach`; from there the target is `hold·B` (hold 0.97, a margin under the budget).
 * - Every update (the trainer calls it every few steps with the current alive cost), with the error
 *   `e = ln(cost / target(t))`, λ ← λ·exp(clamp(gain·e, −maxDown, maxUp)): a multiplicative integral
 *   controller on the log ratio. Increases are rate-limited (maxUp) because the alive cost answers λ only
 *   after γ has travelled to the threshold (a dead time): an unlimited integrator would wind up and
 *   overshoot. Decreases are allowed to be faster (maxDown) so channels that the task still needs can
 *   recover once the cost is under the path. In the last `1 − freeze` (10%) of the run λ only rises: the
 *   run must end under the budget, and a lower λ there would let channels come back.
 * - Anti-windup: the caller may pass a preview cost, measured at a higher threshold (channels on their
 *   way to the threshold counted dead); while it is at or under the target, λ rises at most maxUp/4.
 * - λ is kept within [λ₀/1000, λ₀·1e6].
 * - λ₀ (see `initialLambda`) follows morph-net's advice, a strength of order 1/(initial cost): it is the
 *   strength at which the regularizer alone would move a channel of average cost weight from its typical
 *   switch value to 0 by the middle of the path, `λ₀ = v̄ / (lr_eff · t_mid · w̄)`.
 */

/** Options of the λ controller. */
export interface LambdaControlOptions {
  /** Cost with every channel alive. */
  initialCost: number;
  /** The budget (same unit). */
  budget: number;
  /** Length of the run in steps. */
  totalSteps: number;
  /** λ at step 0. */
  lambda0: number;
  /** Fraction of the run by which the budget is to be reached; default 0.7. */
  reach?: number;
  /** Fraction of the run before the path starts to descend; default 0.1. */
  delay?: number;
  /** Target during the hold phase as a fraction of the budget; default 0.97. */
  hold?: number;
  /** Gain on the log error; default 0.5. */
  gain?: number;
  /** Largest increase of ln λ per update; default 0.1. */
  maxUp?: number;
  /** Largest decrease of ln λ per update; default 0.3. */
  maxDown?: number;
  /** Fraction of the run after which λ no longer decreases; default 0.9. */
  freeze?: number;
}

/** What a checkpoint keeps of the controller. */
export interface LambdaControlState {
  lambda: number;
}

/** Multiplicative integral control of λ toward a budget path. */
export class LambdaController {
  lambda: number;
  private readonly o: Required<LambdaControlOptions>;

  constructor(options: LambdaControlOptions) {
    this.o = {
      reach: 0.7,
      delay: 0.1,
      hold: 0.97,
      gain: 0.5,
      maxUp: 0.1,
      maxDown: 0.3,
      freeze: 0.9,
      ...options,
    };
    if (!(options.budget > 0 && options.budget < options.initialCost))
      throw new Error(`the budget must be above 0 and below the initial cost ${options.initialCost}`);
    this.lambda = options.lambda0;
  }

  /** The reference cost at a step. */
  target(step: number): number {
    const { initialCost: c0, budget: b, totalSteps: T, reach, delay, hold } = this.o;
    const t = step / T;
    if (t >= reach) return hold * b;
    const s = Math.min(1, Math.max(0, (t - delay) / (reach - delay)));
    return c0 * Math.pow((hold * b) / c0, s);
  }

  /**
   * Updates λ from the alive cost measured at `step`; returns the new λ. `preview` is the cost at a higher
   * threshold (channels on their way out counted dead): when it is already at or under the target, λ is
   * not raised (anti-windup against the dead time).
   */
  update(step: number, cost: number, preview?: number): number {
    const { gain, maxUp, lambda0, freeze, totalSteps } = this.o;
    const t = step / totalSteps;
    // Past `freeze`, λ no longer falls: the end must stay under budget.
    const maxDown = t >= freeze ? 0 : this.o.maxDown;
    const target = this.target(step);
    const e = Math.log(Math.max(cost, 1e-30) / target);
    let change = Math.min(maxUp, Math.max(-maxDown, gain * e));
    if (preview !== undefined && preview <= target && t < freeze) change = Math.min(change, maxUp / 4);
    this.lambda = Math.min(lambda0 * 1e6, Math.max(lambda0 / 1000, this.lambda * Math.exp(change)));
    return this.lambda;
  }

  /** State for a checkpoint. */
  save(): LambdaControlState {
    return { lambda: this.lambda };
  }

  /** Restores a checkpoint's state. */
  restore(state: LambdaControlState): void {
    this.lambda = state.lambda;
  }
}

/**
 * morph-net-style starting strength: `v̄ / (lr_eff · t_mid · w̄)` with v̄ the mean switch value (|γ| or
 * kernel RMS), w̄ the mean cost weight ∂loss/∂r of the regularized channels, lr_eff the step size per unit
 * gradient (lr/(1−momentum) for SGD) and t_mid the number of steps to the middle of the path.
 */
export function initialLambda(
  meanValue: number,
  meanWeight: number,
  lrEffective: number,
  midSteps: number,
): number {
  return meanValue / (lrEffective * Math.max(1, midSteps) * Math.max(meanWeight, 1e-30));
}
