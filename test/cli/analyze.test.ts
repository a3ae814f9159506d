/** `morphnet analyze`: the DESIGN.md JSON, the table, and one-sentence errors for bad input. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

const FIXTURE = new URL('../fixtures/keras-2.2.4-functional.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'morphnet-analyze-'));

function write(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

function expectOneSentenceError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines.length).toBeLessThanOrEqual(3);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('morphnet analyze', () => {
  it('--json prints the DESIGN.md object with hand-computed costs', async () => {
    const r = await runCliAsync(['analyze', FIXTURE, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // conv1: 2·3·3·1·8·26·26; branch_a: 2·8·6·13·13; branch_b (3×3 stride 2 same → 7×7): 2·9·8·10·49; dense 2·784·10.
    const flops = 2 * 9 * 1 * 8 * 26 * 26 + 2 * 8 * 6 * 13 * 13 + 2 * 9 * 8 * 10 * 49 + 2 * 784 * 10;
    expect(report.total).toMatchObject({ flops, macs: flops / 2, params: 80 + 32 + 48 + 730 + 7850 });
    const conv1 = report.layers.find((l: { name: string }) => l.name === 'conv1');
    expect(conv1).toEqual({
      name: 'conv1',
      className: 'Conv2D',
      inChannels: 1,
      outChannels: 8,
      flops: 2 * 9 * 8 * 676,
      macs: 9 * 8 * 676,
      params: 80,
      size: 72,
    });
    const dense = report.layers.find((l: { name: string }) => l.name === 'dense');
    expect(dense.inChannels).toBe(784);
    expect(report.groups.map((g: { channels: number; layers: string[] }) => [g.channels, g.layers])).toEqual([
      [1, ['input_1']],
      [8, ['conv1', 'bn1', 'pool1']],
      [6, ['branch_a', 'pool_a', 'concat', 'flatten']],
      [10, ['branch_b', 'concat', 'flatten']],
      [10, ['dense']],
    ]);
    expect(report.boundaries).toEqual([]);
  });

  it('--hardware adds per-layer latency (morph-net roofline)', async () => {
    const r = await runCliAsync(['analyze', FIXTURE, '--json', '--hardware', 'P100']);
    const report = JSON.parse(r.stdout);
    const conv1 = report.layers.find((l: { name: string }) => l.name === 'conv1');
    // Memory-bound on P100: (28·28·1 + 9·1·8 + 26·26·8)·4 bytes / 732 GB/s.
    expect(conv1.latency).toBeCloseTo(((784 + 72 + 676 * 8) * 4) / 732, 6);
  });

  it('prints a readable table by default', async () => {
    const r = await runCliAsync(['analyze', FIXTURE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/layer\s+class\s+in\s+out\s+MACs\s+params\s+MACs %/);
    expect(r.stdout).toMatch(/branch_b\s+Conv2D\s+8\s+10/);
    expect(r.stdout).toMatch(/channel groups/);
  });

  it('lists an unknown layer class as a boundary instead of failing', async () => {
    const json = readFixture();
    json.modelTopology.model_config.config.layers[2].class_name = 'MyNorm';
    json.modelTopology.model_config.config.layers[2].config = { name: 'bn1' };
    const r = await runCliAsync(['analyze', write('custom.json', JSON.stringify(json)), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.boundaries).toEqual(['bn1']);
    // Its weights come from the manifest: gamma, beta, moving mean and variance of 8 channels.
    expect(report.layers.find((l: { name: string }) => l.name === 'bn1').params).toBe(32);
  });

  it('bad input: one clear sentence, non-zero exit', async () => {
    expectOneSentenceError(
      await runCliAsync(['analyze', join(dir, 'missing.json')]),
      /missing\.json: no such file/,
    );
    expectOneSentenceError(
      await runCliAsync(['analyze', write('bad.json', '{ nope')]),
      /bad\.json: is not JSON/,
    );
    expectOneSentenceError(
      await runCliAsync(['analyze', write('notmodel.json', '{"hello": 1}')]),
      /notmodel\.json: is not a model/,
    );
    const json = readFixture();
    json.modelTopology.model_config.config.layers[1].config.kernel_size = [31, 31];
    expectOneSentenceError(
      await runCliAsync(['analyze', write('shape.json', JSON.stringify(json))]),
      /shape\.json: layer "conv1" \(Conv2D\): a 31×31 window does not fit the 28×28 input/,
    );
    expectOneSentenceError(
      await runCliAsync(['analyze', FIXTURE, '--hardware', 'apple']),
      /unknown hardware "apple"; known: K80/,
    );
    expectOneSentenceError(
      await runCliAsync(['analyze', FIXTURE, '--input-shape', '3,x']),
      /--input-shape "3,x" is not H,W,C/,
    );
    expectOneSentenceError(await runCliAsync(['analyze', 'zoo:nope']), /zoo:nope: unknown zoo model "nope"/);
  });
});

function readFixture() {
  return JSON.parse(readFileSync(FIXTURE, 'utf8'));
}
