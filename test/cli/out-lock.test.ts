/**
 * The lock on `--out` through the built CLI (DESIGN.md "Run folders"): while `morphnet train` writes a
 * folder, a second `train` on it is refused in one line and changes nothing; a polite kill (SIGTERM, as
 * Ctrl-C) releases the lock; a lock whose holder died outright (SIGKILL, a crash) is taken over with a
 * one-line note. zoo:tiny on a few hundred 8×8 images written here as IDX files.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-cli-lock-'));
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const killLater: number[] = [];
afterAll(() => {
  for (const pid of killLater) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

/** Writes an MNIST-named IDX folder of `train` + `test` random 8×8×1 images with labels 0–9. */
function idxFolder(dir: string, train: number, test: number): void {
  mkdirSync(dir, { recursive: true });
  const header = (shape: number[]) => {
    const b = Buffer.alloc(4 + 4 * shape.length);
    b.set([0, 0, 8, shape.length]);
    shape.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  const bytes = (n: number, f: (i: number) => number) =>
    Buffer.from(Array.from({ length: n }, (_, i) => f(i)));
  for (const [prefix, n] of [
    ['train', train],
    ['t10k', test],
  ] as const) {
    writeFileSync(
      path.join(dir, `${prefix}-images-idx3-ubyte`),
      Buffer.concat([header([n, 8, 8]), bytes(n * 64, (i) => (i * 37) % 256)]),
    );
    writeFileSync(
      path.join(dir, `${prefix}-labels-idx1-ubyte`),
      Buffer.concat([header([n]), bytes(n, (i) => i % 10)]),
    );
  }
}

const marker = (dir: string) => JSON.parse(readFileSync(path.join(dir, '.morphnet-out.json'), 'utf8'));

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('--out is locked while a command writes it', () => {
  it('a second train on a folder a running train holds is refused; SIGTERM releases the lock; a dead holder’s is taken over', async () => {
    const data = path.join(root, 'data');
    idxFolder(data, 300, 100);
    const out = path.join(root, 'train-out');
    const args = ['train', 'zoo:tiny', '--data', data, '--target', 'flops', '--budget', '50%'];
    const first = spawn(
      process.execPath,
      [MAIN, ...args, '--steps', '100000', '--batch-size', '8', '--out', out],
      {
        stdio: 'ignore',
      },
    );
    killLater.push(first.pid!);
    await waitFor(
      () => existsSync(path.join(out, '.morphnet-out.json')) && marker(out).owner?.pid === first.pid,
      90_000,
    );
    const before = readFileSync(path.join(out, '.morphnet-out.json'), 'utf8');

    const second = await runCliAsync([...args, '--steps', '5', '--out', out]);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      new RegExp(
        `^morphnet: --out .*train-out: is in use by "morphnet train" \\(pid ${first.pid} on ${hostname()}, since [^)]+\\); wait for it to finish or give another folder\\.\\n$`,
      ),
    );
    expect(readFileSync(path.join(out, '.morphnet-out.json'), 'utf8')).toBe(before);

    first.kill('SIGTERM'); // a polite kill (as Ctrl-C): the lock is released on the way out
    const code = await new Promise((r) => first.on('exit', (c) => r(c)));
    expect(code).toBe(143);
    expect(marker(out).owner).toBeUndefined();
    expect(marker(out).finishedAt).toBeUndefined(); // unfinished: the next train resumes it
    // A holder killed outright (SIGKILL, a crash) leaves its lock behind; its pid now names no process.
    // Another command's folder with such a lock shows the takeover.
    const stale = path.join(root, 'uniform-out');
    mkdirSync(stale);
    const owner = { pid: first.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(
      path.join(stale, '.morphnet-out.json'),
      JSON.stringify({ command: 'uniform', startedAt: owner.since, owner }),
    );
    const third = await runCliAsync([
      'uniform',
      'zoo:tiny',
      '--target',
      'flops',
      '--budget',
      '50%',
      '--out',
      stale,
    ]);
    expect(third.code).toBe(0);
    expect(third.stderr).toBe(
      `morphnet: note: --out ${stale} was locked by pid ${first.pid} (since 2026-01-01T00:00:00.000Z), which is no longer running; taking it over.\n`,
    );
    expect(existsSync(path.join(stale, 'model.json'))).toBe(true);
    expect(marker(stale).owner).toBeUndefined();
    expect(marker(stale).finishedAt).toBeDefined();
  });
});
