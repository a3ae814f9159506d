/**
 * The `--out DIR` rule of every command (DESIGN.md "Outputs"): a new or empty folder is created and
 * marked as ours; a folder holding our own unfinished work (the marker) is resumed; an existing file, a
 * non-empty folder that is not ours, or one holding finished work is refused before any work starts.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MorphnetError } from '../errors.js';
import { writeJsonAtomic } from './atomic.js';

/** Name of the marker file morphnet keeps in its output folders. */
export const OUT_MARKER = '.morphnet-out.json';

/** Contents of the marker. */
export interface OutMarker {
  command: string;
  startedAt: string;
  finishedAt?: string;
}

/** What `prepareOutDir` found. */
export interface PreparedOut {
  dir: string;
  /** True when the folder held our own unfinished work of the same command. */
  resumed: boolean;
}

/**
 * Checks an output folder for `command` without touching it: resolves to whether it holds our own
 * unfinished work (to resume); throws a MorphnetError naming the folder when it cannot be used.
 */
export async function checkOutDir(dir: string, command: string): Promise<{ resumed: boolean }> {
  const abs = path.resolve(dir);
  let entries: string[] | undefined;
  try {
    const stat = await fs.stat(abs);
    if (!stat.isDirectory())
      throw new MorphnetError(`--out ${dir}: is an existing file; give a new or empty folder.`);
    entries = await fs.readdir(abs);
  } catch (err) {
    if (err instanceof MorphnetError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!entries || entries.length === 0) return { resumed: false };
  if (!entries.includes(OUT_MARKER)) {
    throw new MorphnetError(`--out ${dir}: is a folder with other files in it; give a new or empty folder.`);
  }
  const marker = JSON.parse(await fs.readFile(path.join(abs, OUT_MARKER), 'utf8')) as OutMarker;
  if (marker.command !== command) {
    throw new MorphnetError(
      `--out ${dir}: holds the output of "morphnet ${marker.command}"; give another folder.`,
    );
  }
  if (marker.finishedAt) {
    throw new MorphnetError(
      `--out ${dir}: holds a finished "${command}" (${marker.finishedAt}); give another folder.`,
    );
  }
  return { resumed: true };
}

/** Checks ({@link checkOutDir}) and claims an output folder for `command`: creates it and its marker. */
export async function prepareOutDir(dir: string, command: string): Promise<PreparedOut> {
  const abs = path.resolve(dir);
  const { resumed } = await checkOutDir(dir, command);
  if (!resumed) {
    await fs.mkdir(abs, { recursive: true });
    await writeJsonAtomic(path.join(abs, OUT_MARKER), {
      command,
      startedAt: new Date().toISOString(),
    } satisfies OutMarker);
  }
  return { dir: abs, resumed };
}

/** Marks an output folder's work as finished (it will not be resumed or overwritten). */
export async function finishOutDir(dir: string): Promise<void> {
  const file = path.join(dir, OUT_MARKER);
  const marker = JSON.parse(await fs.readFile(file, 'utf8')) as OutMarker;
  await writeJsonAtomic(file, { ...marker, finishedAt: new Date().toISOString() });
}
