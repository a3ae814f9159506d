/**
 * Profiles live in the user's cache folder, one file per runtime, version, threads and machine: a cached
 * profile is reused (no measurement) and registers its name; an unreadable file counts as no profile; the
 * folder follows MORPHNET_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardware } from '../../src/cost/index.js';
import { cacheDir, measuredHardware, openRuntime, profileFile } from '../../src/latency/index.js';
import { readProfile, writeProfile } from '../../src/latency/cache.js';
import { machineInfo } from '../../src/latency/machine.js';
import { cpuBackend } from '../helpers/tf.js';
import { fixtureProfile } from './helpers.js';

const dir = mkdtempSync(join(os.tmpdir(), 'morphnet-latency-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(cpuBackend);

describe('the profile cache', () => {
  it('lives in MORPHNET_CACHE_DIR, else XDG_CACHE_HOME/morphnet, else ~/.cache/morphnet', () => {
    const saved = { ...process.env };
    try {
      process.env['MORPHNET_CACHE_DIR'] = join(dir, 'c');
      expect(cacheDir()).toBe(join(dir, 'c'));
      delete process.env['MORPHNET_CACHE_DIR'];
      process.env['XDG_CACHE_HOME'] = join(dir, 'xdg');
      expect(cacheDir()).toBe(join(dir, 'xdg', 'morphnet'));
      delete process.env['XDG_CACHE_HOME'];
      expect(cacheDir()).toBe(join(os.homedir(), '.cache', 'morphnet'));
    } finally {
      process.env = saved;
    }
  });

  it('names a file per runtime, version, threads and machine', () => {
    process.env['MORPHNET_CACHE_DIR'] = join(dir, 'c');
    expect(profileFile('tfjs-wasm', '4.22.0 (simd)', 'default', 'abc123')).toBe(
      join(dir, 'c', 'latency', 'tfjs-wasm-4.22.0_simd_-default-abc123.json'),
    );
    expect(profileFile('onnx-cpu', '1.30.0', 2, 'abc123')).toMatch(/onnx-cpu-1\.30\.0-t2-abc123\.json$/);
  });

  it('reuses a cached profile without measuring, and registers the name', async () => {
    process.env['MORPHNET_CACHE_DIR'] = join(dir, 'reuse');
    const runtime = await openRuntime('onnx-cpu');
    await runtime.close();
    const file = profileFile('onnx-cpu', runtime.version, 'default', machineInfo().id);
    const cached = { ...fixtureProfile(), machine: machineInfo() };
    await writeProfile(file, cached);
    const started = Date.now();
    const hw = await measuredHardware('ONNX-CPU');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(hw.measured).toBe(false);
    expect(hw.file).toBe(file);
    expect(hw.profile.kinds).toEqual(cached.kinds);
    expect(hardware('onnx-cpu')).toBe(hw);
  });

  it('treats an unreadable or foreign file as no profile', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "version": 1, "hardware": "onnx-cpu" }');
    expect(await readProfile(bad)).toBeNull();
    writeFileSync(bad, 'not json');
    expect(await readProfile(bad)).toBeNull();
    expect(await readProfile(join(dir, 'missing.json'))).toBeNull();
  });

  it('refuses a name that is not a measured runtime', async () => {
    await expect(measuredHardware('P100')).rejects.toThrow(
      /"P100" is not a measured runtime; use onnx-cpu or tfjs-wasm/,
    );
  });
});
