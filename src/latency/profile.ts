/**
 * A measured latency profile: the fitted coefficients of every op kind on one runtime of one machine,
 * with what they were measured on (machine, runtime and its version, threads, date, load) and how well
 * the fit holds. Stored as JSON in the user's cache folder; the schema checks a file read back.
 */
import { z } from 'zod';
import type { CostTerms, MeasuredHardware } from '../cost/index.js';
import type { OpNode } from '../graph/types.js';
import { LATENCY_KINDS, type KindCoefficients, type LatencyKind } from './kinds.js';
import { opParts } from './op-parts.js';

/** The runtimes a profile can be measured on. */
export type RuntimeName = 'onnx-cpu' | 'tfjs-wasm';

const coefficients = z.object({ a: z.number(), b: z.number(), c: z.number(), d: z.number(), w: z.number() });

/** The schema of a stored profile (version 1). */
export const profileSchema = z.object({
  version: z.literal(1),
  hardware: z.enum(['onnx-cpu', 'tfjs-wasm']),
  runtime: z.object({
    name: z.string(),
    version: z.string(),
    /** Threads the runtime ran with: a number, or `"default"` for the runtime's own choice. */
    threads: z.union([z.number().int().positive(), z.literal('default')]),
  }),
  machine: z.object({
    id: z.string(),
    hostname: z.string(),
    cpu: z.string(),
    cores: z.number(),
    arch: z.string(),
    platform: z.string(),
    memoryGiB: z.number(),
  }),
  /** ISO date and time of the measurement. */
  created: z.string(),
  /** 1, 5 and 15 minute load averages when the measurement started. */
  load: z.array(z.number()),
  /** ns per unit of each coefficient, per op kind. */
  kinds: z.record(z.enum(LATENCY_KINDS), coefficients),
  fit: z.object({
    samples: z.number().int(),
    /** Root mean square of (predicted − measured) / measured over the samples. */
    rmsRelativeError: z.number(),
    maxRelativeError: z.number(),
    seconds: z.number(),
  }),
});

/** A measured latency profile. */
export type LatencyProfile = z.infer<typeof profileSchema>;

const NO_COST: KindCoefficients = { a: 0, b: 0, c: 0, d: 0, w: 0 };

/** The latency terms (ns) of an op under a profile, bilinear in its alive input and output channels. */
export function profileTerms(kinds: Partial<Record<LatencyKind, KindCoefficients>>, op: OpNode): CostTerms {
  const t = { a: 0, b: 0, c: 0, d: 0 };
  for (const p of opParts(op)) {
    const k = kinds[p.kind] ?? NO_COST;
    t.a += p.a * k.a + p.wa * k.w;
    t.b += p.b * k.b + p.wb * k.w;
    t.c += p.c * k.c + p.wc * k.w;
    t.d += p.d * k.d;
  }
  return { ...t, bLoss: t.b, cLoss: t.c };
}

/** The hardware a profile prices (register it with `registerHardware` to resolve it by name). */
export function profileHardware(profile: LatencyProfile): MeasuredHardware {
  const threads =
    profile.runtime.threads === 'default' ? 'default threads' : `${profile.runtime.threads} threads`;
  return {
    kind: 'measured',
    name: profile.hardware,
    source: `measured on ${profile.machine.hostname} (${profile.machine.cpu}), ${profile.runtime.name} ${profile.runtime.version}, ${threads}, ${profile.created.slice(0, 10)}`,
    opTerms: (op) => profileTerms(profile.kinds, op),
  };
}
