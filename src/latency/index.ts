/**
 * Measured latency: per-op latency profiles of the runtimes a JavaScript user deploys to (`onnx-cpu`:
 * onnxruntime-node's CPU provider; `tfjs-wasm`: tf.js' wasm backend), measured on this machine at batch 1,
 * fitted per op kind to morph-net's bilinear form and cached in the user's cache folder; and a model's
 * measured end-to-end latency on either runtime.
 */
import type * as tf from '@tensorflow/tfjs';
import { isMeasuredName, registerHardware, type MeasuredHardware } from '../cost/index.js';
import { MorphnetError } from '../errors.js';
import { profileFile, readProfile, writeProfile } from './cache.js';
import { machineInfo } from './machine.js';
import { measureProfile, type MeasureOptions } from './measure.js';
import { profileHardware, type LatencyProfile, type RuntimeName } from './profile.js';
import { openRuntime, type PreparedModel } from './runtimes.js';
import { timeEndToEnd, timeSideBySide, type LatencyStats } from './timing.js';

export { LATENCY_KINDS, type LatencyKind, type KindCoefficients } from './kinds.js';
export { opParts } from './op-parts.js';
export { fitProfile, modelFeatures, predict, kindsVector, type TimedSample, type FitResult } from './fit.js';
export {
  profileHardware,
  profileTerms,
  profileSchema,
  type LatencyProfile,
  type RuntimeName,
} from './profile.js';
export { measureProfile, timeSamples, type MeasureOptions, type TimedSpec } from './measure.js';
export { openRuntime, type LatencyRuntime, type PreparedModel } from './runtimes.js';
export { sampleGrid, buildSample, FAMILIES, type Family, type SampleSpec } from './samples.js';
export { timeInterleaved, timeEndToEnd, timeSideBySide, latencyStats, type LatencyStats } from './timing.js';
export { cacheDir, profileFile } from './cache.js';

/** Options of {@link measuredHardware}. */
export interface MeasuredHardwareOptions extends MeasureOptions {
  /** Measure again even when a cached profile exists (and replace it). */
  remeasure?: boolean;
}

/** A measured hardware with the profile behind it. */
export interface LoadedHardware extends MeasuredHardware {
  profile: LatencyProfile;
  /** Where the profile is cached, and whether it was measured by this call. */
  file: string;
  measured: boolean;
}

/** The hardware loaded per runtime in this process (its profile gives the threads to time models with). */
const loaded = new Map<RuntimeName, LoadedHardware>();

function runtimeName(name: string): RuntimeName {
  if (!isMeasuredName(name))
    throw new MorphnetError(`"${name}" is not a measured runtime; use onnx-cpu or tfjs-wasm`);
  return name.toLowerCase() as RuntimeName;
}

/** The version string a profile of this runtime would record (to find its cache file). */
async function runtimeVersion(name: RuntimeName, threads: number | undefined) {
  const runtime = await openRuntime(name, { threads });
  try {
    return { version: runtime.version, threads: runtime.threads };
  } finally {
    await runtime.close();
  }
}

/**
 * The measured hardware `onnx-cpu` or `tfjs-wasm` of this machine: its cached profile, or a new
 * measurement (tens of seconds, progress to `onProgress`) stored in the cache. Registers it, so the name
 * then works wherever a hardware name does (`modelCost`, regularizers, expand).
 */
export async function measuredHardware(
  name: string,
  options: MeasuredHardwareOptions = {},
): Promise<LoadedHardware> {
  const runtime = runtimeName(name);
  const { version, threads } = await runtimeVersion(runtime, options.threads);
  const file = profileFile(runtime, version, threads, machineInfo().id);
  let profile = options.remeasure ? null : await readProfile(file);
  const measured = profile === null;
  if (!profile) {
    profile = await measureProfile(runtime, options);
    await writeProfile(file, profile);
  }
  const hw: LoadedHardware = { ...profileHardware(profile), profile, file, measured };
  registerHardware(hw);
  loaded.set(runtime, hw);
  return hw;
}

/** Options of {@link measureModelLatency}. */
export interface ModelLatencyOptions {
  /** Timed calls (default 50; side by side: rounds, default 30), after a few untimed ones. */
  runs?: number;
  /** Threads (default: those of the profile loaded for this runtime, else the runtime's default). */
  threads?: number;
}

/** Threads of the profile loaded for a runtime in this process (as a number, or undefined for the default). */
function loadedThreads(name: RuntimeName): number | undefined {
  const threads = loaded.get(name)?.profile.runtime.threads;
  return typeof threads === 'number' ? threads : undefined;
}

/** A model's measured end-to-end latency (ns) at batch 1 on a runtime: median, quartiles, min, max. */
export async function measureModelLatency(
  model: tf.LayersModel,
  name: string,
  options: ModelLatencyOptions = {},
): Promise<LatencyStats> {
  return (await measureSideBySide([model], name, { runs: 50, ...options }))[0];
}

/**
 * Several models' end-to-end latency (ns) at batch 1 on a runtime, timed side by side (interleaved calls)
 * so their ratios hold on a loaded machine.
 */
export async function measureSideBySide(
  models: tf.LayersModel[],
  name: string,
  options: ModelLatencyOptions = {},
): Promise<LatencyStats[]> {
  const runtimeId = runtimeName(name);
  const runtime = await openRuntime(runtimeId, { threads: options.threads ?? loadedThreads(runtimeId) });
  const prepared: PreparedModel[] = [];
  try {
    for (const m of models) prepared.push(await runtime.prepare(m));
    return models.length === 1
      ? [await timeEndToEnd(prepared[0], options.runs ?? 50)]
      : await timeSideBySide(prepared, options.runs ?? 30);
  } finally {
    for (const p of prepared) await p.dispose();
    await runtime.close();
  }
}
