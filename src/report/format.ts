/** Number formatting for axes and tables. */

/** A short human form: 1.23G, 456k, 0.012, 98.1 (3 significant digits, SI suffixes from k upward). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  for (const [limit, suffix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= limit) return `${trim((value / limit).toPrecision(3))}${suffix}`;
  }
  if (abs === 0) return '0';
  if (abs < 1e-3) return value.toExponential(1);
  return trim(value.toPrecision(3));
}

function trim(text: string): string {
  return text.includes('e') || !text.includes('.') ? text : text.replace(/\.?0+$/, '');
}

/** An accuracy in [0, 1] as a percentage with one decimal: 0.9812 → "98.1%". */
export function formatPercent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** A signed relative change: (after / before − 1) as "+12.0%" / "−30.5%". */
export function formatChange(before: number, after: number): string {
  if (!(before > 0) || !Number.isFinite(after)) return '–';
  const change = (after / before - 1) * 100;
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)}%`;
}

/** A duration in ns as µs or ms with 3 significant digits: 612345 → "612 µs", 1.5e7 → "15 ms". */
export function formatNanoseconds(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  return ns >= 1e6 ? `${trim((ns / 1e6).toPrecision(3))} ms` : `${trim((ns / 1e3).toPrecision(3))} µs`;
}
