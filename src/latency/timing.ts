/**
 * Timing on a shared, noisy machine. Many models are timed interleaved (round after round, each model a
 * few calls in a row, in a shuffled order) and each keeps the minimum of all its calls: a burst of load
 * from elsewhere slows some calls of every model rather than all calls of a few. A single model's
 * end-to-end latency is reported as the median of N calls with its quartiles and minimum.
 */
import type { PreparedModel } from './runtimes.js';

/** Latency statistics of repeated calls, in ns. */
export interface LatencyStats {
  median: number;
  /** First and third quartiles (the spread). */
  p25: number;
  p75: number;
  min: number;
  max: number;
  runs: number;
}

/** Nanoseconds since an arbitrary origin. */
function now(): number {
  return Number(process.hrtime.bigint());
}

async function timeCall(model: PreparedModel): Promise<number> {
  const t = now();
  await model.run();
  return now() - t;
}

/** The q-quantile of sorted values (linear interpolation). */
export function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Statistics of a list of durations (ns). */
export function latencyStats(durations: number[]): LatencyStats {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    runs: sorted.length,
  };
}

/** Options of {@link timeInterleaved}. */
export interface InterleaveOptions {
  /** Rounds over all models (default 4). */
  rounds?: number;
  /** Calls of a model in a row within a round (default 3). */
  inner?: number;
  /** Untimed calls of each model first (default 2). */
  warmup?: number;
  /** Called after each round with the number of rounds done. */
  onRound?: (done: number, total: number) => void;
}

/** A seeded shuffle (xorshift), so a measurement's call order is reproducible. */
function shuffled(n: number, seed: number): number[] {
  const order = [...Array(n).keys()];
  let s = seed | 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = Math.abs(s) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The minimum latency (ns) of each model over interleaved rounds of calls. */
export async function timeInterleaved(
  models: PreparedModel[],
  options: InterleaveOptions = {},
): Promise<number[]> {
  const rounds = options.rounds ?? 4;
  const inner = options.inner ?? 3;
  for (const m of models) for (let i = 0; i < (options.warmup ?? 2); i++) await m.run();
  const best = models.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (const i of shuffled(models.length, r + 1)) {
      for (let k = 0; k < inner; k++) best[i] = Math.min(best[i], await timeCall(models[i]));
    }
    options.onRound?.(r + 1, rounds);
  }
  return best;
}

/** End-to-end latency of one model: `warmup` untimed calls, then `runs` timed ones. */
export async function timeEndToEnd(model: PreparedModel, runs = 50, warmup = 5): Promise<LatencyStats> {
  for (let i = 0; i < warmup; i++) await model.run();
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) durations.push(await timeCall(model));
  return latencyStats(durations);
}

/**
 * End-to-end latency of several models side by side: `runs` rounds, each timing one call of every model
 * in a shuffled order, so load from elsewhere falls on all of them alike.
 */
export async function timeSideBySide(
  models: PreparedModel[],
  runs = 30,
  warmup = 3,
): Promise<LatencyStats[]> {
  for (const m of models) for (let i = 0; i < warmup; i++) await m.run();
  const durations = models.map((): number[] => []);
  for (let r = 0; r < runs; r++) {
    for (const i of shuffled(models.length, r + 101)) durations[i].push(await timeCall(models[i]));
  }
  return durations.map(latencyStats);
}
