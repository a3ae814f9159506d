import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun, renderReport, writeReport } from '../../src/report/index.js';
import { comparePhases } from '../../src/report/write.js';
import { fabricatedInput } from './fixture.js';
import { writeFabricatedRun } from './run-folder.js';
import { charts } from './svg-parse.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'morphnet-report-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeReport', () => {
  it('reads summary, nested phase folders (in run order) and pareto.json, and writes report.html', async () => {
    const dir = join(root, 'run');
    await writeFabricatedRun(dir);
    // A tenth cycle's folder, to check that cycle-10 sorts after cycle-1 and checkpoints are ignored.
    await mkdir(join(dir, 'cycle-10/shrink'), { recursive: true });
    await writeFile(join(dir, 'cycle-10/shrink/history.json'), JSON.stringify({ steps: [] }));
    await mkdir(join(dir, 'cycle-1/shrink/checkpoints'), { recursive: true });
    await writeFile(join(dir, 'cycle-1/shrink/checkpoints/history.json'), '{}');
    const input = await readRun(dir);
    expect(input.phases!.map((p) => p.name)).toEqual([
      'seed',
      'cycle-1/shrink',
      'cycle-1/retrain',
      'cycle-10/shrink',
    ]);
    expect(input.pareto?.entries.length).toBe(12);
    const file = await writeReport(dir);
    expect(file).toBe(join(dir, 'report.html'));
    const html = await readFile(file, 'utf8');
    expect(charts(html).length).toBe(14);
    // Nothing left behind but the report.
    expect((await readdir(dir)).filter((f) => f.includes('report'))).toEqual(['report.html']);
  });

  it('follows the summary’s phase list when it has one', async () => {
    const dir = join(root, 'ordered');
    await writeFabricatedRun(dir, false);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    summary.phases = ['seed', 'cycle-1/shrink', 'cycle-1/retrain', 'missing'];
    await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
    const input = await readRun(dir);
    expect(input.phases!.map((p) => p.name)).toEqual(['seed', 'cycle-1/shrink', 'cycle-1/retrain']);
    expect(input.pareto).toBeUndefined();
    expect(renderReport(input)).toBe(
      renderReport({ ...fabricatedInput(), pareto: undefined, title: input.title, summary }),
    );
  });

  it('replaces an existing report', async () => {
    const dir = join(root, 'again');
    await writeFabricatedRun(dir);
    await writeFile(join(dir, 'report.html'), 'old');
    await writeReport(dir, { title: 'New title' });
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<title>New title</title>');
  });

  it('names the file when the summary is missing, malformed or not a summary', async () => {
    const dir = join(root, 'bad');
    await mkdir(dir);
    await expect(writeReport(dir)).rejects.toThrow(`${join(dir, 'summary.json')} does not exist.`);
    await writeFile(join(dir, 'summary.json'), '{"seed": ');
    await expect(writeReport(dir)).rejects.toThrow(`${join(dir, 'summary.json')} is not valid JSON`);
    await writeFile(join(dir, 'summary.json'), '{"seed": {}, "cycles": []}');
    await expect(writeReport(dir)).rejects.toThrow(
      `${join(dir, 'summary.json')} is not a run summary: it has no "uniform" object.`,
    );
    await expect(writeReport(join(root, 'nowhere'))).rejects.toThrow(
      `${join(root, 'nowhere')} is not a folder.`,
    );
    expect(await readdir(dir)).toEqual(['summary.json']);
  });

  it('names a bad phase file and a missing explicit Pareto file', async () => {
    const dir = join(root, 'bad-phase');
    await writeFabricatedRun(dir);
    await writeFile(join(dir, 'seed', 'history.json'), '{"step": []}');
    await expect(writeReport(dir)).rejects.toThrow(
      `${join(dir, 'seed', 'history.json')} is not a training history`,
    );
    await writeFabricatedRun(dir);
    await expect(writeReport(dir, { pareto: join(dir, 'no.json') })).rejects.toThrow(
      `${join(dir, 'no.json')} does not exist.`,
    );
  });
});

describe('a report reads only inside its run folder', () => {
  it('refuses summary.phases entries that lead out of the folder, by ../, absolute path or symlink', async () => {
    const secret = join(root, 'secret');
    await mkdir(secret, { recursive: true });
    await writeFile(join(secret, 'history.json'), JSON.stringify({ steps: [{ step: 1, loss: 42 }] }));
    const dir = join(root, 'escaping');
    await writeFabricatedRun(dir, false);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    const summaryFile = join(dir, 'summary.json');
    for (const phase of ['../secret', secret, 'seed/../../secret']) {
      await writeFile(summaryFile, JSON.stringify({ ...summary, phases: ['seed', phase] }));
      await expect(readRun(dir)).rejects.toThrow(
        `${summaryFile}: phase ${JSON.stringify(phase)} lies outside the run folder ${dir}; a report reads only inside it.`,
      );
    }
    await symlink(secret, join(dir, 'linked'));
    await writeFile(summaryFile, JSON.stringify({ ...summary, phases: ['seed', 'linked'] }));
    await expect(readRun(dir)).rejects.toThrow(/phase "linked" lies outside the run folder/);
    await rm(join(dir, 'cycle-1', 'shrink', 'history.json'));
    await symlink(join(secret, 'history.json'), join(dir, 'cycle-1', 'shrink', 'history.json'));
    await writeFile(summaryFile, JSON.stringify({ ...summary, phases: ['seed', 'cycle-1/shrink'] }));
    await expect(readRun(dir)).rejects.toThrow(
      /phase "cycle-1\/shrink"'s history\.json lies outside the run folder/,
    );
    expect(await readdir(dir)).not.toContain('report.html');
  });

  it('refuses a pareto.json that is a link out of the folder, but reads a --pareto file the user names', async () => {
    const dir = join(root, 'pareto-link');
    await writeFabricatedRun(dir);
    const elsewhere = join(root, 'pareto-elsewhere.json');
    await writeFile(elsewhere, await readFile(join(dir, 'pareto.json')));
    await rm(join(dir, 'pareto.json'));
    await symlink(elsewhere, join(dir, 'pareto.json'));
    await expect(readRun(dir)).rejects.toThrow(/pareto\.json: it lies outside the run folder/);
    expect((await readRun(dir, { pareto: elsewhere })).pareto?.entries.length).toBe(12);
  });
});

describe('comparePhases', () => {
  it('orders phases as a run proceeds', () => {
    const names = [
      'cycle-2/retrain',
      'other',
      'cycle-1/expanded',
      'uniform',
      'cycle-1/shrunk',
      'cycle-2/shrink',
      'seed',
      'cycle-1/shrink',
    ];
    expect([...names].sort(comparePhases)).toEqual([
      'seed',
      'uniform',
      'cycle-1/shrink',
      'cycle-1/shrunk',
      'cycle-1/expanded',
      'cycle-2/shrink',
      'cycle-2/retrain',
      'other',
    ]);
  });
});
