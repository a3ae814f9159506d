/**
 * The `--out DIR` rule: new/empty folders are claimed, our unfinished work resumes, others are refused;
 * the marker is also a lock (DESIGN.md "Run folders"): a folder another running process writes is
 * refused, a lock left by a dead process is taken over with a one-line note. Other processes are real
 * child processes running the built module (dist/, `npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutDir, finishOutDir, OUT_MARKER, prepareOutDir, releaseOutDir } from '../../src/io/out-dir.js';
import { writeJsonAtomic } from '../../src/io/atomic.js';
import { MorphnetError } from '../../src/errors.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-out-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const OUT_DIR_JS = fileURLToPath(new URL('../../dist/io/out-dir.js', import.meta.url));
const marker = (dir: string) => JSON.parse(readFileSync(path.join(dir, OUT_MARKER), 'utf8'));

/**
 * Starts a process that claims `dir` for `command` with the built module, prints "claimed" (or the
 * refusal) and then lives `holdMs` before exiting with `exitCode`.
 */
function claimInChild(dir: string, command: string, holdMs: number, exitCode = 0): ChildProcess {
  const script = `
    const { prepareOutDir } = await import(${JSON.stringify(OUT_DIR_JS)});
    try { await prepareOutDir(${JSON.stringify(dir)}, ${JSON.stringify(command)}); console.log('claimed'); }
    catch (e) { console.log('refused: ' + e.message); }
    setTimeout(() => process.exit(${exitCode}), ${holdMs});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]);
    });
    child.on('exit', () => resolve(text.split('\n')[0]));
    child.on('error', reject);
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', () => resolve())));

describe('prepareOutDir', () => {
  it('creates a new folder and claims an empty one', async () => {
    const fresh = path.join(root, 'a', 'b');
    expect(await prepareOutDir(fresh, 'train')).toEqual({ dir: fresh, resumed: false });
    expect(marker(fresh).command).toBe('train');
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect((await prepareOutDir(empty, 'run')).resumed).toBe(false);
  });

  it('resumes our unfinished work and refuses finished work or another command', async () => {
    const dir = path.join(root, 'ours');
    await prepareOutDir(dir, 'run');
    writeFileSync(path.join(dir, 'partial.json'), '{}');
    releaseOutDir(dir); // as when the first process ends
    expect((await prepareOutDir(dir, 'run')).resumed).toBe(true);
    await expect(prepareOutDir(dir, 'train')).rejects.toThrow(/holds the output of "morphnet run"/);
    await finishOutDir(dir);
    await expect(prepareOutDir(dir, 'run')).rejects.toThrow(/holds a finished "run"/);
  });

  it('refuses an existing file and a foreign non-empty folder, leaving them untouched', async () => {
    const file = path.join(root, 'model.json');
    writeFileSync(file, 'precious');
    await expect(prepareOutDir(file, 'prune')).rejects.toThrow(/is an existing file/);
    expect(readFileSync(file, 'utf8')).toBe('precious');
    const foreign = path.join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
    await expect(prepareOutDir(foreign, 'prune')).rejects.toThrow(/folder with other files/);
    expect(readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    await expect(prepareOutDir(path.join(file, 'sub'), 'prune')).rejects.toThrow(
      /model\.json is a file, not a folder/,
    );
  });

  it('writes JSON atomically (no temporary files left)', async () => {
    const dir = path.join(root, 'atomic');
    await writeJsonAtomic(path.join(dir, 'x.json'), { a: 1 });
    await writeJsonAtomic(path.join(dir, 'x.json'), { a: 2 });
    expect(JSON.parse(readFileSync(path.join(dir, 'x.json'), 'utf8'))).toEqual({ a: 2 });
    expect((await import('node:fs')).readdirSync(dir)).toEqual(['x.json']);
  });

  it('names a damaged marker file in one sentence', async () => {
    const dir = path.join(root, 'damaged');
    mkdirSync(dir);
    writeFileSync(path.join(dir, OUT_MARKER), '{"command": "run", "starte');
    const error = await prepareOutDir(dir, 'run').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MorphnetError);
    expect((error as Error).message).toMatch(/its marker file \.morphnet-out\.json is damaged/);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    writeFileSync(path.join(dir, OUT_MARKER), '{"command": 7}');
    await expect(checkOutDir(dir, 'run')).rejects.toThrow(/\.morphnet-out\.json is damaged/);
  });

  it('refuses a folder under /proc in one sentence instead of looping', async () => {
    const started = Date.now();
    await expect(prepareOutDir('/proc/morphnet-test/out', 'run')).rejects.toThrow(
      /^--out \/proc\/morphnet-test\/out: cannot create \/proc\/morphnet-test: .*; give a folder you can write to\.$/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the lock on --out', () => {
  it('records the owner (pid, host, start time) and drops it when the work is finished', async () => {
    const dir = path.join(root, 'owner');
    await prepareOutDir(dir, 'train');
    const m = marker(dir);
    expect(m.owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.parse(m.owner.since)).toBeGreaterThan(Date.now() - 60_000);
    await finishOutDir(dir);
    expect(marker(dir).owner).toBeUndefined();
    expect(marker(dir).finishedAt).toBeDefined();
  });

  it('refuses a folder another running process holds; takes it over with a note once that process is killed', async () => {
    const dir = path.join(root, 'held');
    const holder = claimInChild(dir, 'run', 60_000);
    expect(await firstLine(holder)).toBe('claimed');
    const pattern = new RegExp(`is in use by "morphnet run" \\(pid ${holder.pid} on ${hostname()}, since `);
    await expect(checkOutDir(dir, 'run')).rejects.toThrow(pattern);
    await expect(prepareOutDir(dir, 'run')).rejects.toThrow(pattern);
    expect(marker(dir).owner.pid).toBe(holder.pid);

    holder.kill('SIGKILL'); // no exit handler runs: the lock stays, stale
    await exited(holder);
    expect(marker(dir).owner.pid).toBe(holder.pid);
    const notes: string[] = [];
    const out = await prepareOutDir(dir, 'run', { onNotice: (l) => notes.push(l) });
    expect(out.resumed).toBe(true);
    expect(out.tookOverFrom?.pid).toBe(holder.pid);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      new RegExp(
        `^morphnet: note: --out .* was locked by pid ${holder.pid} .*no longer running; taking it over\\.$`,
      ),
    );
    expect(marker(dir).owner.pid).toBe(process.pid);
    releaseOutDir(dir);
  });

  it('a process that exits (even with a failure) releases its lock: the next one resumes without a note', async () => {
    const dir = path.join(root, 'released');
    const first = claimInChild(dir, 'train', 0, 1);
    expect(await firstLine(first)).toBe('claimed');
    await exited(first);
    expect(marker(dir).owner).toBeUndefined();
    const notes: string[] = [];
    expect(await prepareOutDir(dir, 'train', { onNotice: (l) => notes.push(l) })).toEqual({
      dir,
      resumed: true,
    });
    expect(notes).toEqual([]);
    releaseOutDir(dir);
  });

  it('of two processes claiming one new folder at the same moment, exactly one wins', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = path.join(root, `race-${round}`);
      const pair = [claimInChild(dir, 'run', 3000), claimInChild(dir, 'run', 3000)];
      const lines = await Promise.all(pair.map(firstLine));
      expect(lines.filter((l) => l === 'claimed')).toHaveLength(1);
      expect(lines.find((l) => l !== 'claimed')).toMatch(/^refused: --out .* is in use by "morphnet run"/);
      for (const c of pair) c.kill('SIGKILL');
      await Promise.all(pair.map(exited));
    }
  });

  it.runIf(process.platform === 'linux')(
    'a recycled pid (same number, another process) is not the owner',
    async () => {
      const dir = path.join(root, 'recycled');
      mkdirSync(dir);
      // pid 1 always runs, but it is not the process that took this lock (its start tick differs).
      const owner = { pid: 1, host: hostname(), since: '2020-01-01T00:00:00.000Z', processStart: 'another' };
      writeFileSync(
        path.join(dir, OUT_MARKER),
        JSON.stringify({ command: 'run', startedAt: owner.since, owner }),
      );
      const notes: string[] = [];
      expect((await prepareOutDir(dir, 'run', { onNotice: (l) => notes.push(l) })).tookOverFrom?.pid).toBe(1);
      expect(notes[0]).toMatch(/was locked by pid 1 /);
      releaseOutDir(dir);
    },
  );

  it('a lock held on another host is refused, saying how to clear it', async () => {
    const dir = path.join(root, 'elsewhere');
    mkdirSync(dir);
    const owner = { pid: 4242, host: 'other-host.example', since: '2020-01-01T00:00:00.000Z' };
    writeFileSync(
      path.join(dir, OUT_MARKER),
      JSON.stringify({ command: 'train', startedAt: owner.since, owner }),
    );
    await expect(prepareOutDir(dir, 'train')).rejects.toThrow(
      /is locked by "morphnet train" \(pid 4242 on other-host\.example.*cannot be checked from this host; if it is no longer running, delete the "owner" entry of .*\.morphnet-out\.json\.$/,
    );
    expect(existsSync(path.join(dir, `${OUT_MARKER}.tmp-claim`))).toBe(false);
  });

  it('a marker of an older morphnet (no owner) resumes as before', async () => {
    const dir = path.join(root, 'old-marker');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, OUT_MARKER),
      JSON.stringify({ command: 'run', startedAt: '2020-01-01T00:00:00Z' }),
    );
    expect((await prepareOutDir(dir, 'run')).resumed).toBe(true);
    expect(marker(dir).owner.pid).toBe(process.pid);
    releaseOutDir(dir);
    expect(marker(dir).owner).toBeUndefined();
  });
});
