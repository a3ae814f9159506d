/**
 * Raw messages that used to reach the user, now sentences (issue 20, defect 9), through the built CLI:
 * an `--out` that cannot be created, a damaged marker file, "Invalid typed array length", ANSI escapes
 * in layer names printed by `analyze`, `report` following phases out of its folder, NaN weights copied
 * by `prune` without a word. Each refusal is exactly one line `morphnet: <sentence>` and changes nothing.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModel } from '../../src/io/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { runCliAsync, type CliResult } from '../helpers/cli.js';
import { cpuBackend, tf } from '../helpers/tf.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-cli-messages-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Exactly one stderr line, `morphnet: …` ending in a full stop, matching `pattern`; exit 1; no stdout. */
function refusedInOneLine(r: CliResult, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^morphnet: [^\n]*\.\n$/);
  expect(r.stderr).toMatch(pattern);
}

const UNIFORM = ['uniform', 'zoo:tiny', '--target', 'flops', '--budget', '50%'];

describe('--out problems are sentences', () => {
  it('a folder that cannot be created (under /proc) is named, instead of looping forever or a raw ENOENT', async () => {
    const r = await runCliAsync([...UNIFORM, '--out', '/proc/morphnet-test/out'], { timeoutMs: 30_000 });
    refusedInOneLine(r, /^morphnet: --out \/proc\/morphnet-test\/out: cannot create \/proc\/morphnet-test: /);
  });

  it('a damaged marker file is named', async () => {
    const out = path.join(root, 'damaged');
    mkdirSync(out);
    writeFileSync(path.join(out, '.morphnet-out.json'), '{"command": "uniform", "sta');
    const r = await runCliAsync([...UNIFORM, '--out', out]);
    refusedInOneLine(r, /--out .*damaged: its marker file \.morphnet-out\.json is damaged/);
    expect(readdirSync(out)).toEqual(['.morphnet-out.json']);
  });
});

describe('sizes too large for memory', () => {
  it('a synthetic limit past 2^31 values is a sentence, not "Invalid typed array length"', async () => {
    const out = path.join(root, 'huge-limit');
    const r = await runCliAsync([
      'train',
      'zoo:net-a',
      '--data',
      'synthetic',
      '--target',
      'flops',
      '--budget',
      '50%',
      '--limit',
      '100000000000',
      '--out',
      out,
    ]);
    refusedInOneLine(
      r,
      /^morphnet: --data synthetic: 100000000000 synthetic images of 32×32×3 would be .*\(a smaller limit\)\.\n$/,
    );
    expect(r.stderr).not.toMatch(/Invalid typed array length/);
    expect(existsSync(out)).toBe(false);
  });

  it('any other array too large for memory still ends in a sentence, on one line, without control characters', async () => {
    const fail = fileURLToPath(new URL('../../dist/cli/fail.js', import.meta.url));
    const script = `import { fail } from ${JSON.stringify(fail)}; fail(new RangeError('Invalid typed array length: 99\\n\\u001b[2J'));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    refusedInOneLine(
      { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr },
      /^morphnet: the work needs more memory than this process can hold \(Invalid typed array length: 99 \); give smaller sizes, such as --limit, --batch-size or --input-shape\.\n$/,
    );
  });
});

describe('names from files are printed without control characters', () => {
  beforeAll(cpuBackend);

  it('analyze strips ANSI escapes and control characters from layer names', async () => {
    const evil = '\u001b[31mred\u001b[0m\u0007\u009b2J';
    const dir = path.join(root, 'evil');
    await saveModel(buildZooModel('tiny', { seed: 1 }), dir);
    const file = path.join(dir, 'model.json');
    const json = readFileSync(file, 'utf8').replaceAll(
      '"conv2',
      `"${JSON.stringify(evil).slice(1, -1)}conv2`,
    );
    const parsed = JSON.parse(json);
    delete parsed.weightsManifest;
    delete parsed.weightsSha256;
    writeFileSync(file, JSON.stringify(parsed));
    expect(readFileSync(file, 'utf8')).toContain('\\u001b[31m');
    const r = await runCliAsync(['analyze', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('redconv2');
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    // --json keeps the name exact (JSON escapes control characters itself)
    const j = await runCliAsync(['analyze', file, '--json']);
    expect(JSON.parse(j.stdout).layers.map((l: { name: string }) => l.name)).toContain(`${evil}conv2`);
  });
});

describe('report reads only inside its folder', () => {
  it('a summary naming a phase outside the run folder is refused in one line', async () => {
    const dir = path.join(root, 'run');
    mkdirSync(path.join(dir, 'seed'), { recursive: true });
    writeFileSync(path.join(root, 'history.json'), JSON.stringify({ steps: [] }));
    const figures = { flops: 1, params: 1, accuracy: 0.5 };
    const summary = {
      seed: figures,
      uniform: figures,
      cycles: [],
      target: 'flops',
      budget: 1,
      phases: ['..'],
    };
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
    const r = await runCliAsync(['report', dir]);
    refusedInOneLine(
      r,
      /summary\.json: phase "\.\." lies outside the run folder .*; a report reads only inside it\./,
    );
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });
});

describe('prune of a model with NaN weights', () => {
  beforeAll(cpuBackend);

  it('warns in one line naming the layer, and writes the model', async () => {
    const model = buildZooModel('tiny', { seed: 4 });
    const kernel = model.getLayer('conv2').getWeights()[0];
    const values = kernel.dataSync().slice();
    values[7] = Number.NaN;
    model.getLayer('conv2').setWeights([tf.tensor(values, kernel.shape)]);
    const input = path.join(root, 'nan-model');
    await saveModel(model, input);
    const out = path.join(root, 'nan-pruned');
    const r = await runCliAsync(['prune', path.join(input, 'model.json'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'morphnet: warning: layer "conv2": its kernel holds 1 NaN or infinite values of 288; they are copied as they are.\n',
    );
    expect(existsSync(path.join(out, 'model.json'))).toBe(true);
  });
});
