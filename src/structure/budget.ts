/**
 * Budgets as the CLI and the trainer take them (DESIGN.md "Budgets"): `N%` of the current cost, or an
 * absolute amount in the target's unit with optional k/M/G suffixes.
 */
import { MorphnetError } from '../errors.js';

/** Parses `--budget`: `50%` → half of `currentCost`; `300M` → 3e8. Refuses ≤ 0 and non-numbers. */
export function parseBudget(value: string, currentCost: number, option = '--budget'): number {
  const text = value.trim();
  let budget: number;
  if (text.endsWith('%')) {
    const pct = Number(text.slice(0, -1).trim());
    if (text.length < 2 || !Number.isFinite(pct))
      throw new MorphnetError(`${option} "${value}" is not a percentage (e.g. 50%).`);
    budget = (pct / 100) * currentCost;
  } else {
    budget = parseAmount(text, option);
  }
  if (!(budget > 0) || !Number.isFinite(budget))
    throw new MorphnetError(`${option} "${value}" must be a positive cost.`);
  return budget;
}

/** Parses a positive number with an optional k/M/G suffix (e.g. `300M`). */
export function parseAmount(value: string, option: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kKmMgG]?)\s*$/.exec(value);
  if (!m) throw new MorphnetError(`${option} "${value}" is not a number (k/M/G suffixes allowed).`);
  const scale: Record<string, number> = { '': 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };
  return Number(m[1]) * scale[m[2]];
}
