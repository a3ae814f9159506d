/**
 * The measured runtimes and the export on the command line (built CLI): `analyze --hardware onnx-cpu`
 * prices each layer by the cached profile (hand-computed from its coefficients; no measurement runs when a
 * profile is cached), `--measure` adds the measured end-to-end latency, `export` and `prune --onnx` write
 * ONNX files onnxruntime loads, and bad flags are refused in one sentence. The cache is a temporary folder
 * (MORPHNET_CACHE_DIR) seeded with the fixture profile.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrt } from '../../src/engine/onnx/runtime.js';
import { saveModel } from '../../src/io/index.js';
import { openRuntime, profileFile } from '../../src/latency/index.js';
import { machineInfo } from '../../src/latency/machine.js';
import { writeProfile } from '../../src/latency/cache.js';
import { runCli } from '../helpers/cli.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { fixtureProfile } from '../latency/helpers.js';
import { killChannels, randomizeStats } from '../structure/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'morphnet-latency-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const profile = fixtureProfile();

beforeAll(async () => {
  await cpuBackend();
  process.env['MORPHNET_CACHE_DIR'] = join(dir, 'cache');
  const runtime = await openRuntime('onnx-cpu');
  await runtime.close();
  const file = profileFile('onnx-cpu', runtime.version, 'default', machineInfo().id);
  await writeProfile(file, { ...profile, machine: machineInfo() });
});

function expectOneSentenceError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n').length).toBe(1);
  expect(r.stderr).toMatch(pattern);
}

describe('analyze --hardware onnx-cpu', () => {
  it('prices every layer by the cached profile (ns in JSON), without measuring', () => {
    const r = runCli(['analyze', 'zoo:mnist-cnn', '--hardware', 'onnx-cpu', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/measuring/);
    const report = JSON.parse(r.stdout);
    expect(report.hardware).toBe('onnx-cpu');
    expect(report.hardwareSource).toMatch(
      /^measured on .*onnxruntime-node 1\.30\.0, default threads, \d{4}-\d\d-\d\d$/,
    );
    // conv1: 3×3 same on 28×28, 1 → 16 channels.
    const k = profile.kinds.conv;
    const p = 28 * 28;
    const conv1 = report.layers.find((l: { name: string }) => l.name === 'conv1');
    expect(conv1.latency).toBeCloseTo((k.a * 9 * p + k.w * 9) * 16 + k.b * p * 1 + k.c * p * 16 + k.d, 6);
    // The input layer carries the call's fixed cost and the input copy: c · 784 + d.
    const input = report.layers[0];
    expect(input.latency).toBeCloseTo(profile.kinds.input.c * p + profile.kinds.input.d, 6);
    const sum = report.layers.reduce((s: number, l: { latency: number }) => s + l.latency, 0);
    expect(report.total.latency).toBeCloseTo(sum, 6);
  });

  it('--measure times the model end to end beside the per-layer sum', () => {
    const r = runCli(['analyze', 'zoo:tiny', '--hardware', 'onnx-cpu', '--measure', '--runs', '5']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/latency µs \(onnx-cpu\)/);
    expect(r.stdout).toMatch(
      /measured end to end on onnx-cpu \(batch 1\): median [\d.]+ (µs|ms) \(quartiles .*, 5 runs\); the per-layer model sums to [\d.]+ (µs|ms)/,
    );
    const json = JSON.parse(
      runCli(['analyze', 'zoo:tiny', '--hardware', 'onnx-cpu', '--measure', '--runs', '4', '--json']).stdout,
    );
    expect(json.measured.runs).toBe(4);
    expect(json.measured.min).toBeGreaterThan(0);
    expect(json.measured.p25).toBeLessThanOrEqual(json.measured.median);
    expect(json.measured.median).toBeLessThanOrEqual(json.measured.p75);
  });

  it('refuses flags that need a measured runtime, and threads tfjs-wasm cannot run', () => {
    expectOneSentenceError(
      runCli(['analyze', 'zoo:tiny', '--hardware', 'P100', '--measure']),
      /^morphnet: --measure needs a measured --hardware \(onnx-cpu or tfjs-wasm\)\.$/m,
    );
    expectOneSentenceError(
      runCli(['analyze', 'zoo:tiny', '--hardware', 'T4', '--remeasure']),
      /^morphnet: --remeasure applies to a measured --hardware/m,
    );
    expectOneSentenceError(
      runCli(['analyze', 'zoo:tiny', '--hardware', 'tfjs-wasm', '--threads', '2']),
      /^morphnet: --threads: tfjs-wasm runs single-threaded in Node/m,
    );
    expectOneSentenceError(
      runCli(['analyze', 'zoo:tiny', '--hardware', 'gpu9']),
      /unknown hardware "gpu9"; known: K80, .*, onnx-cpu, tfjs-wasm/,
    );
  });
});

describe('export and --onnx', () => {
  it('export writes a graph onnxruntime loads (NHWC input, symbolic batch) and never replaces a file', async () => {
    const file = join(dir, 'tiny.onnx');
    const r = runCli(['export', 'zoo:tiny', '--onnx', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*tiny\.onnx \([\d.]+ MB\) \(fresh initial weights/);
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(file);
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(2 * 64), [2, 8, 8, 1]),
    });
    expect(out[session.outputNames[0]].dims).toEqual([2, 10]);
    expectOneSentenceError(runCli(['export', 'zoo:tiny', '--onnx', file]), /tiny\.onnx: already exists/);
    expectOneSentenceError(
      runCli(['export', 'zoo:tiny', '--onnx', join(dir, 'nowhere', 'x.onnx')]),
      /the folder .*nowhere does not exist/,
    );
  });

  it('export refuses an unsupported layer, naming it, and writes nothing', async () => {
    const x = tf.input({ shape: [4, 4, 2], name: 'image' });
    const up = apply(tf.layers.conv2dTranspose({ name: 'deconv', filters: 2, kernelSize: 2, strides: 2 }), x);
    const out = apply(
      tf.layers.dense({ name: 'head', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({}), up),
    );
    await saveModel(tf.model({ inputs: x, outputs: out }), join(dir, 'deconv'));
    const file = join(dir, 'deconv.onnx');
    expectOneSentenceError(
      runCli(['export', join(dir, 'deconv', 'model.json'), '--onnx', file]),
      /layer "deconv" \(Conv2DTranspose\) is not supported/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('prune --onnx writes model.onnx beside model.json', async () => {
    const seed = (await import('../../src/zoo/index.js')).buildZooModel('tiny', { seed: 2 });
    randomizeStats(seed, 3);
    killChannels(seed, 'conv2_bn', [0, 1, 5]);
    await saveModel(seed, join(dir, 'trained'));
    mkdirSync(join(dir, 'pruned-parent'), { recursive: true });
    const outDir = join(dir, 'pruned-parent', 'pruned');
    const r = runCli(['prune', join(dir, 'trained', 'model.json'), '--out', outDir, '--onnx']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/model\.json, model\.onnx and structure\.json/);
    const ort = await loadOrt();
    const session = await ort.InferenceSession.create(join(outDir, 'model.onnx'));
    expect(session.inputNames).toEqual(['input']);
  });
});
