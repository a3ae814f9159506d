/** Parsers for CLI option values; each throws a MorphnetError naming the option. */
import { MorphnetError } from '../errors.js';

/** Parses `H,W,C` (or `HxWxC`) into three positive integers. */
export function parseInputShape(value: string): number[] {
  const parts = value.split(/[,x×]/).map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new MorphnetError(
      `--input-shape "${value}" is not H,W,C (three positive integers, e.g. 224,224,3).`,
    );
  }
  return parts;
}

export { parseAmount } from '../structure/budget.js';
