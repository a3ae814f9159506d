/**
 * The training budget (DESIGN.md "Budgets"): `N%` of the model's current cost for the target, or an
 * absolute amount in the target's unit (k/M/G suffixes). `train` refuses a budget ≤ 0 or ≥ the current
 * cost. (The structure module's `parseBudget` has the same syntax; this one adds the training bounds.)
 */
import { MorphnetError } from '../errors.js';

/** Parses `--budget` against the current cost; throws a one-sentence MorphnetError when it is unusable. */
export function parseTrainBudget(value: string, currentCost: number, unit = ''): number {
  const text = value.trim();
  let budget: number;
  const m = /^([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(%|[kKmMgG])?$/.exec(text);
  if (!m) throw new MorphnetError(`--budget "${value}" is not a percentage (50%) or an amount (e.g. 1.5M).`);
  const scale: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };
  const n = Number(m[1]);
  budget = m[2] === '%' ? (n / 100) * currentCost : n * (m[2] ? scale[m[2]] : 1);
  const u = unit ? ` ${unit}` : '';
  if (!(budget > 0)) throw new MorphnetError(`--budget "${value}" must be above 0.`);
  if (budget >= currentCost) {
    throw new MorphnetError(
      `--budget "${value}" (${fmt(budget)}${u}) is not below the model's current cost ${fmt(currentCost)}${u}; nothing to shrink.`,
    );
  }
  return budget;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(6);
}
