/** Readers for Keras/tfjs layer config values (snake_case keys, ints or pairs). */
import type { LayerConfig } from './types.js';

/** Reads a config key that may be an int or a pair (`kernel_size: 3` or `[3, 3]`) as a pair. */
export function pair(config: LayerConfig, key: string, fallback: [number, number]): [number, number] {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return [v[0], v[0]];
  if (Array.isArray(v) && v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number')
    return [v[0], v[1]];
  throw new Error(`config "${key}" must be a number or a pair of numbers, got ${JSON.stringify(v)}`);
}

/** Reads a numeric config key. */
export function num(config: LayerConfig, key: string, fallback: number): number {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number') throw new Error(`config "${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** Reads a boolean config key. */
export function bool(config: LayerConfig, key: string, fallback: boolean): boolean {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  return Boolean(v);
}

/** Reads a string config key. */
export function str(config: LayerConfig, key: string, fallback: string): string {
  const v = config[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw new Error(`config "${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

/** The activation name of a layer with an `activation` config (Keras: string; or `{class_name}`). */
export function activationName(config: LayerConfig): string {
  const v = config['activation'];
  if (v === undefined || v === null) return 'linear';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'class_name' in v)
    return String((v as { class_name: unknown }).class_name);
  return 'linear';
}

/** Keras' `backend.epsilon()` (1e-7): the floor Normalization puts under the standard deviation. */
export const KERAS_EPSILON = 1e-7;

/** Reads ZeroPadding2D/Cropping2D amounts (an int, a pair, or a pair of pairs) as [[top, bottom], [left, right]]. */
export function padAmounts(config: LayerConfig, key: string): [[number, number], [number, number]] {
  const v = config[key];
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  if (Array.isArray(v) && v.length === 2) {
    const axis = (a: unknown): [number, number] =>
      typeof a === 'number'
        ? [a, a]
        : Array.isArray(a) && a.length === 2
          ? [Number(a[0]), Number(a[1])]
          : [NaN, NaN];
    const out: [[number, number], [number, number]] = [axis(v[0]), axis(v[1])];
    if (out.flat().every(Number.isFinite)) return out;
  }
  if (v === undefined || v === null)
    return [
      [1, 1],
      [1, 1],
    ];
  throw new Error(`config "${key}" must be an int, a pair or a pair of pairs, got ${JSON.stringify(v)}`);
}
