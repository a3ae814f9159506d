/** Parsers for CLI option values; each throws a MorphnetError naming the option. */
import { backendNames, isBackendName, type BackendName } from '../backend/names.js';
import { hardware as lookupHardware, isMeasuredName, TARGETS, type Target } from '../cost/index.js';
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

/** Parses a positive integer option. */
export function positiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new MorphnetError(`${option} "${value}" must be a positive integer.`);
  return n;
}

/** Parses a positive number option. */
export function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n))
    throw new MorphnetError(`${option} "${value}" must be a positive number.`);
  return n;
}

/** Parses `--engine`. */
export function parseEngine(value: string): 'auto' | 'onnx' | 'tfjs' {
  if (!['auto', 'onnx', 'tfjs'].includes(value))
    throw new MorphnetError(`--engine "${value}": use auto, onnx or tfjs.`);
  return value as 'auto' | 'onnx' | 'tfjs';
}

/** Parses `--target` (and checks `--hardware`, which the latency target needs). */
export function parseTarget(target: string, hardware: string | undefined): Target {
  if (!(TARGETS as readonly string[]).includes(target))
    throw new MorphnetError(`--target "${target}": use one of ${TARGETS.join(', ')}.`);
  if (target === 'latency' && !hardware) throw new MorphnetError('--target latency needs --hardware NAME.');
  if (hardware && !isMeasuredName(hardware)) {
    try {
      lookupHardware(hardware);
    } catch (e) {
      throw new MorphnetError(`--hardware: ${(e as Error).message}.`);
    }
  }
  return target as Target;
}

/** Parses `--seed` (any integer). */
export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new MorphnetError(`--seed "${value}" must be an integer.`);
  return seed;
}

/** Checks `--backend` against the backends morphnet knows. */
export function parseBackend(value: string | undefined): BackendName | undefined {
  if (value !== undefined && !isBackendName(value))
    throw new MorphnetError(`--backend "${value}": use ${backendNames.join(', ')}.`);
  return value as BackendName | undefined;
}
