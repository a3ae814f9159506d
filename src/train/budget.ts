/**
 * The training budget (DESIGN.md "Budgets"): the structure module's `parseBudget` syntax (`N%` of the
 * current cost, or an absolute amount with k/M/G), plus `train`'s bound: a budget at or above the current
 * cost is refused (nothing to shrink).
 */
import { MorphnetError } from '../errors.js';
import { parseBudget } from '../structure/budget.js';

/** Parses `--budget` against the current cost; throws a one-sentence MorphnetError when it is unusable. */
export function parseTrainBudget(value: string, currentCost: number, unit = ''): number {
  const budget = parseBudget(value, currentCost);
  if (budget >= currentCost) {
    const u = unit ? ` ${unit}` : '';
    throw new MorphnetError(
      `--budget "${value}" (${fmt(budget)}${u}) is not below the model's current cost ${fmt(currentCost)}${u}; nothing to shrink.`,
    );
  }
  return budget;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(6);
}
