/** Axis scales: nice tick values and linear / logarithmic mappings from data to pixels. */

/** A mapping from data values to pixel positions, with the tick values of its axis. */
export interface Scale {
  map(value: number): number;
  ticks: number[];
  domain: [number, number];
  log: boolean;
}

/** Round tick values (1, 2, 2.5 or 5 × 10^k steps) spanning [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(Number.isFinite(min) && Number.isFinite(max))) return [];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t <= max + step * (1 - 1e-9); t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** A linear scale over the values' range (optionally including 0), extended to round ticks. */
export function linearScale(
  values: number[],
  range: [number, number],
  options: { zero?: boolean; ticks?: number } = {},
): Scale {
  const finite = values.filter(Number.isFinite);
  let min = finite.length ? Math.min(...finite) : 0;
  let max = finite.length ? Math.max(...finite) : 1;
  if (options.zero) {
    min = Math.min(min, 0);
    max = Math.max(max, 0);
  }
  const ticks = niceTicks(min, max, options.ticks ?? 5);
  const lo = ticks[0];
  const hi = ticks[ticks.length - 1];
  const span = hi - lo || 1;
  return {
    map: (v) => range[0] + ((v - lo) / span) * (range[1] - range[0]),
    ticks,
    domain: [lo, hi],
    log: false,
  };
}

/** A base-10 logarithmic scale over the positive values, with ticks at powers of ten. */
export function logScale(values: number[], range: [number, number]): Scale {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.floor(Math.log10(positive.length ? Math.min(...positive) : 1));
  let hi = Math.ceil(Math.log10(positive.length ? Math.max(...positive) : 10));
  if (hi === lo) hi = lo + 1;
  const ticks: number[] = [];
  for (let p = lo; p <= hi; p++) ticks.push(10 ** p);
  return {
    map: (v) => range[0] + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * (range[1] - range[0]),
    ticks,
    domain: [10 ** lo, 10 ** hi],
    log: true,
  };
}
