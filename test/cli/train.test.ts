/**
 * `morphnet train` end to end on the built CLI: a short run writes the DESIGN.md files and a JSON summary;
 * bad inputs get one sentence on stderr before any progress, a non-zero exit, and nothing is changed.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-cli-train-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function refused(args: string[], pattern: RegExp): Promise<void> {
  const out = path.join(root, `out-${Math.random().toString(36).slice(2)}`);
  const r = await runCliAsync(['train', ...args, '--out', out]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/steps \|/); // no progress bar
  expect(r.stdout).toBe('');
  expect(existsSync(out)).toBe(false);
}

describe('morphnet train', () => {
  it('a short run writes model.json + weights, structure.json, history.json, checkpoints/ and a JSON summary', async () => {
    const out = path.join(root, 'run');
    const r = await runCliAsync(
      [
        'train',
        'zoo:net-b',
        '--data',
        'mnist',
        '--target',
        'size',
        '--budget',
        '80%',
        '--steps',
        '20',
        '--batch-size',
        '16',
        '--limit',
        '400',
        '--out',
        out,
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.stderr).not.toMatch(/Error|at .*\.js/);
    expect(r.code === 0 || r.code === 3).toBe(true); // 3: budget not met in 20 steps is allowed here
    const summary = JSON.parse(r.stdout);
    expect(summary.engine).toMatch(/onnx|tfjs/);
    expect(summary.steps).toBe(20);
    expect(summary.initialCost).toBeGreaterThan(0);
    expect(summary.budget).toBeCloseTo(0.8 * summary.initialCost, 3);
    const files = readdirSync(out);
    for (const f of ['model.json', 'structure.json', 'history.json', 'checkpoints'])
      expect(files).toContain(f);
    const structure = JSON.parse(readFileSync(path.join(out, 'structure.json'), 'utf8'));
    expect(structure).toMatchObject({ version: 1, target: 'size', threshold: 0.01 });
    expect(Object.keys(structure.alive)).toEqual(['conv1', 'conv2', 'predictions']);
    expect(structure.cost.before).toBe(summary.initialCost);
    const history = JSON.parse(readFileSync(path.join(out, 'history.json'), 'utf8'));
    expect(history.steps[history.steps.length - 1]).toMatchObject({ step: 20 });
    // A finished run is not overwritten.
    await refusedAt(out);
  });

  async function refusedAt(out: string) {
    const r = await runCliAsync([
      'train',
      'zoo:net-a',
      '--data',
      'synthetic',
      '--target',
      'flops',
      '--budget',
      '50%',
      '--out',
      out,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/finished/);
  }

  it('refuses an unknown data set', async () => {
    await refused(
      ['zoo:tiny', '--data', 'nosuch', '--target', 'flops', '--budget', '50%'],
      /Unknown data set "nosuch"/,
    );
  });

  it('refuses data whose images do not fit the model', async () => {
    await refused(
      ['zoo:net-a', '--data', 'mnist', '--target', 'flops', '--budget', '50%', '--limit', '64'],
      /zoo:net-a takes 32×32×3 images but mnist holds 28×28×1 images/,
    );
  });

  it('refuses a budget at or above the current cost, or zero', async () => {
    await refused(
      ['zoo:net-a', '--data', 'synthetic', '--target', 'flops', '--budget', '120%', '--limit', '64'],
      /not below the model's current cost/,
    );
    await refused(
      ['zoo:net-a', '--data', 'synthetic', '--target', 'flops', '--budget', '0', '--limit', '64'],
      /must be a positive cost/,
    );
  });

  it('refuses bad options before loading anything', async () => {
    await refused(
      ['zoo:net-a', '--data', 'synthetic', '--target', 'speed', '--budget', '50%'],
      /--target "speed"/,
    );
    await refused(
      ['zoo:net-a', '--data', 'synthetic', '--target', 'latency', '--budget', '50%'],
      /needs --hardware/,
    );
    await refused(['zoo:net-a', '--data', 'synthetic', '--target', 'flops'], /give --budget/);
    await refused(
      ['zoo:nosuch', '--data', 'synthetic', '--target', 'flops', '--budget', '50%'],
      /unknown zoo model "nosuch"/,
    );
  });

  it('refuses --out over an existing file and leaves it alone', async () => {
    const file = path.join(root, 'taken.txt');
    writeFileSync(file, 'mine');
    const r = await runCliAsync([
      'train',
      'zoo:net-a',
      '--data',
      'synthetic',
      '--target',
      'flops',
      '--budget',
      '50%',
      '--out',
      file,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/is an existing file/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('a threshold that kills every channel keeps each group’s strongest channel, with a warning', async () => {
    const out = path.join(root, 'dead');
    const r = await runCliAsync(
      [
        'train',
        'zoo:net-a',
        '--data',
        'synthetic',
        '--target',
        'flops',
        '--budget',
        '50%',
        '--threshold',
        '5',
        '--steps',
        '2',
        '--batch-size',
        '8',
        '--limit',
        '64',
        '--out',
        out,
        '--json',
      ],
      { timeoutMs: 240_000 },
    );
    expect(r.stderr).toMatch(/every channel of conv1.*is already dead; it keeps its strongest channel/);
    const structure = JSON.parse(readFileSync(path.join(out, 'structure.json'), 'utf8'));
    expect(structure.alive).toMatchObject({ conv1: 1, conv2: 1, conv3: 1, conv4: 1 });
  });
});
