/** The `--out DIR` rule: new/empty folders are claimed, our unfinished work resumes, others are refused. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishOutDir, OUT_MARKER, prepareOutDir } from '../../src/io/out-dir.js';
import { writeJsonAtomic } from '../../src/io/atomic.js';

const root = mkdtempSync(path.join(tmpdir(), 'morphnet-out-'));

describe('prepareOutDir', () => {
  it('creates a new folder and claims an empty one', async () => {
    const fresh = path.join(root, 'a', 'b');
    expect(await prepareOutDir(fresh, 'train')).toEqual({ dir: fresh, resumed: false });
    expect(JSON.parse(readFileSync(path.join(fresh, OUT_MARKER), 'utf8')).command).toBe('train');
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    expect((await prepareOutDir(empty, 'run')).resumed).toBe(false);
  });

  it('resumes our unfinished work and refuses finished work or another command', async () => {
    const dir = path.join(root, 'ours');
    await prepareOutDir(dir, 'run');
    writeFileSync(path.join(dir, 'partial.json'), '{}');
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
  });

  it('writes JSON atomically (no temporary files left)', async () => {
    const dir = path.join(root, 'atomic');
    await writeJsonAtomic(path.join(dir, 'x.json'), { a: 1 });
    await writeJsonAtomic(path.join(dir, 'x.json'), { a: 2 });
    expect(JSON.parse(readFileSync(path.join(dir, 'x.json'), 'utf8'))).toEqual({ a: 2 });
    expect((await import('node:fs')).readdirSync(dir)).toEqual(['x.json']);
  });
});
