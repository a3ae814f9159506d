/**
 * How well a measured per-op profile predicts widths it was not fitted on, on this machine (DESIGN.md:
 * the real fit quality is a bench figure, never a timed test; tests fit synthetic timings). Fitted on a
 * grid of widths at 8 and 16 px, the model predicts held-out Conv2D 3×3, 1×1 conv, depthwise and Dense
 * widths; the held-out models are timed interleaved with the fitted ones (the same load falls on both),
 * each keeping the minimum of its calls over three passes. The goal: within 25% everywhere.
 *
 * Writes bench/results/latency-fit.json. Run: npx tsx bench/latency-fit.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import {
  fitProfile,
  kindsVector,
  openRuntime,
  predict,
  sampleGrid,
  timeSamples,
  type Family,
  type RuntimeName,
  type SampleSpec,
} from '../src/latency/index.js';

await tf.setBackend('cpu');
const FAMILIES: Family[] = ['gap', 'conv3', 'conv1', 'dw', 'dense'];
const SIZES = [8, 16];
const HELD_OUT: SampleSpec[] = [
  { family: 'conv3', size: 8, cin: 40, cout: 80 },
  { family: 'conv3', size: 16, cin: 20, cout: 56 },
  { family: 'conv1', size: 8, cin: 200, cout: 72 },
  { family: 'conv1', size: 16, cin: 40, cout: 176 },
  { family: 'dw', size: 8, cin: 160, cout: 160 },
  { family: 'dw', size: 16, cin: 48, cout: 48 },
  { family: 'dense', size: 0, cin: 300, cout: 50 },
  { family: 'dense', size: 0, cin: 700, cout: 300 },
];

/** Relative prediction error of each held-out spec after `passes` interleaved timing passes (minimum kept). */
async function heldOutErrors(name: RuntimeName, threads: number | undefined, passes = 3) {
  const runtime = await openRuntime(name, { threads });
  try {
    const grid = sampleGrid({ families: FAMILIES, sizes: SIZES, maxMacs: 5e6 });
    const specs = [...grid, ...HELD_OUT];
    let timed = await timeSamples(runtime, specs, { rounds: 3, inner: 3 });
    for (let pass = 1; pass < passes; pass++) {
      const again = await timeSamples(runtime, specs, { rounds: 3, inner: 3 });
      timed = timed.map((t, i) => ({ ...t, ns: Math.min(t.ns, again[i].ns) }));
    }
    const theta = kindsVector(fitProfile(timed.slice(0, grid.length)).kinds);
    return timed.slice(grid.length).map((t, i) => ({
      ...HELD_OUT[i],
      measuredNs: t.ns,
      predictedNs: predict(t.features, theta),
      error: predict(t.features, theta) / t.ns - 1,
    }));
  } finally {
    await runtime.close();
  }
}

const loadBefore = os.loadavg();
const results = {
  onnxCpu1Thread: await heldOutErrors('onnx-cpu', 1),
  tfjsWasm: await heldOutErrors('tfjs-wasm', undefined),
};
const worst = (rows: { error: number }[]) => Math.max(...rows.map((r) => Math.abs(r.error)));
const out = {
  date: new Date().toISOString(),
  cpus: os.cpus().length,
  loadBefore,
  loadAfter: os.loadavg(),
  goal: 'every held-out width predicted within 25%',
  worst: { onnxCpu1Thread: worst(results.onnxCpu1Thread), tfjsWasm: worst(results.tfjsWasm) },
  results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latency-fit.json', `${JSON.stringify(out, null, 2)}\n`);
process.stderr.write(
  `worst held-out error: onnx-cpu ${(100 * out.worst.onnxCpu1Thread).toFixed(1)}%, tfjs-wasm ${(100 * out.worst.tfjsWasm).toFixed(1)}%\n`,
);
