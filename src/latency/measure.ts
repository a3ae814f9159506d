/**
 * Measuring a profile: build the sample models, time them interleaved on the runtime, fit every kind's
 * coefficients, and record what was measured on. Takes some tens of seconds; progress goes to a callback.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { graphFromModel } from '../graph/index.js';
import { fitProfile, modelFeatures, type TimedSample } from './fit.js';
import { machineInfo } from './machine.js';
import type { LatencyProfile, RuntimeName } from './profile.js';
import { openRuntime, type LatencyRuntime, type PreparedModel } from './runtimes.js';
import { sampleGrid, buildSample, type GridOptions, type SampleSpec } from './samples.js';
import { timeInterleaved, type InterleaveOptions } from './timing.js';

/** Options of {@link measureProfile}. */
export interface MeasureOptions {
  /** Intra-op threads (default: the runtime's default). */
  threads?: number;
  /** Which samples to time (default: every family at 8, 16 and 32 pixels). */
  grid?: GridOptions;
  /** Rounds and calls per round of the interleaved timing. */
  timing?: InterleaveOptions;
  /** Progress lines. */
  onProgress?: (line: string) => void;
}

/** A timed sample with its spec. */
export interface TimedSpec extends TimedSample {
  spec: SampleSpec;
}

/** Times the sample models of a grid on an open runtime (min over interleaved calls, ns each). */
export async function timeSamples(
  runtime: LatencyRuntime,
  specs: SampleSpec[],
  timing: InterleaveOptions = {},
): Promise<TimedSpec[]> {
  const models: tf.LayersModel[] = [];
  const prepared: PreparedModel[] = [];
  const features: Float64Array[] = [];
  try {
    for (const spec of specs) {
      const model = buildSample(spec);
      models.push(model);
      features.push(modelFeatures(graphFromModel(model)));
      prepared.push(await runtime.prepare(model));
    }
    const ns = await timeInterleaved(prepared, timing);
    return specs.map((spec, i) => ({ spec, features: features[i], ns: ns[i] }));
  } finally {
    for (const p of prepared) await p.dispose();
    for (const m of models) m.dispose();
  }
}

/** Measures and fits a profile of a runtime on this machine. */
export async function measureProfile(
  name: RuntimeName,
  options: MeasureOptions = {},
): Promise<LatencyProfile> {
  const say = options.onProgress ?? (() => {});
  const started = Date.now();
  const load = os.loadavg();
  const runtime = await openRuntime(name, { threads: options.threads });
  try {
    const specs = sampleGrid(options.grid);
    say(
      `measuring ${name} latency on this machine: ${specs.length} small models (load ${load[0].toFixed(1)})`,
    );
    const timed = await timeSamples(runtime, specs, {
      ...options.timing,
      onRound: (done, total) => say(`measuring ${name}: timing round ${done}/${total}`),
    });
    const fit = fitProfile(timed);
    const seconds = (Date.now() - started) / 1000;
    say(
      `measured ${name} in ${seconds.toFixed(0)} s: the fit predicts the ${timed.length} models within ${(100 * fit.rmsRelativeError).toFixed(1)}% (rms)`,
    );
    return {
      version: 1,
      hardware: name,
      runtime: { name: runtime.packageName, version: runtime.version, threads: runtime.threads },
      machine: machineInfo(),
      created: new Date().toISOString(),
      load,
      kinds: fit.kinds,
      fit: {
        samples: timed.length,
        rmsRelativeError: fit.rmsRelativeError,
        maxRelativeError: fit.maxRelativeError,
        seconds,
      },
    };
  } finally {
    await runtime.close();
  }
}
