/**
 * The `--out DIR` rule of every command (DESIGN.md "Outputs" and "Run folders"): a new or empty folder is
 * created and marked as ours; a folder holding our own unfinished work (the marker) is resumed; an
 * existing file, a non-empty folder that is not ours, or one holding finished work is refused before any
 * work starts. The marker `DIR/.morphnet-out.json` is also the folder's lock: while a process writes the
 * folder it records its owner (pid, host, start time), a second process is refused, and a lock left by a
 * process that is no longer running is taken over with a one-line note.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MorphnetError } from '../errors.js';
import { writeJsonAtomic } from './atomic.js';
import {
  currentOwner,
  forgetMarker,
  holdMarker,
  ownerSchema,
  ownerState,
  releaseMarkerSync,
  type OutOwner,
} from './out-lock.js';

/** Name of the marker file morphnet keeps in its output folders. */
export const OUT_MARKER = '.morphnet-out.json';

/** Temporary files of the marker (`.morphnet-out.json.tmp-<id>`), the claim mutex among them. */
const MARKER_TMP_PREFIX = `${OUT_MARKER}.tmp-`;
/** Created exclusively while a process decides whether it may take the folder (milliseconds). */
const CLAIM_FILE = `${MARKER_TMP_PREFIX}claim`;
/** A claim file older than this was left by a process that died while claiming. */
const STALE_CLAIM_MS = 10_000;
/** How long to wait for another process's claim to end. */
const CLAIM_WAIT_MS = 5_000;

const markerSchema = z.looseObject({
  command: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  owner: ownerSchema.optional(),
});

/** Contents of the marker. */
export type OutMarker = z.infer<typeof markerSchema>;

/** What `prepareOutDir` found. */
export interface PreparedOut {
  dir: string;
  /** True when the folder held our own unfinished work of the same command. */
  resumed: boolean;
  /** The owner of a stale lock this process took over (it was no longer running). */
  tookOverFrom?: OutOwner;
}

/** Options of {@link prepareOutDir}. */
export interface PrepareOutOptions {
  /** Receives the one-line note of a stale lock taken over (default: printed on stderr). */
  onNotice?: (line: string) => void;
}

const CODE_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device (ENOSPC)',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'the file system does not allow it there',
  ENAMETOOLONG: 'the name is too long',
};

/** One sentence for a file-system error met while using the output folder. */
function outDirError(dir: string, what: string, err: unknown): MorphnetError {
  if (err instanceof MorphnetError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const reason = (code && CODE_REASONS[code]) ?? code ?? String(err);
  const suffix = code && CODE_REASONS[code] && !reason.includes(code) ? ` (${code})` : '';
  return new MorphnetError(
    `--out ${dir}: cannot ${what}: ${reason}${suffix}; give a folder you can write to.`,
  );
}

/** Reads and checks the marker; one sentence naming it when it is unreadable or damaged. */
async function readMarker(abs: string, dir: string): Promise<OutMarker> {
  const file = path.join(abs, OUT_MARKER);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw outDirError(dir, `read its marker file ${OUT_MARKER}`, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const marker = markerSchema.safeParse(parsed);
  if (!marker.success)
    throw new MorphnetError(
      `--out ${dir}: its marker file ${OUT_MARKER} is damaged (not morphnet's JSON); give another folder, or delete ${file} if the folder is yours to reuse.`,
    );
  return marker.data;
}

/** Entries of a folder that count as content (the marker's own temporary files do not). */
async function contentOf(abs: string, dir: string): Promise<string[] | undefined> {
  try {
    const stat = await fs.stat(abs);
    if (!stat.isDirectory())
      throw new MorphnetError(`--out ${dir}: is an existing file; give a new or empty folder.`);
    return (await fs.readdir(abs)).filter((name) => !name.startsWith(MARKER_TMP_PREFIX));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined; // createFolder names what is wrong
    throw outDirError(dir, 'read the folder', err);
  }
}

/** The lock's refusal when its owner still runs (or cannot be checked); undefined when it may be taken. */
function lockRefusal(dir: string, abs: string, marker: OutMarker): MorphnetError | undefined {
  const owner = marker.owner;
  if (!owner) return undefined;
  const state = ownerState(owner);
  if (state === 'gone') return undefined;
  const who = `"morphnet ${marker.command}" (pid ${owner.pid} on ${owner.host}, since ${owner.since})`;
  if (state === 'running')
    return new MorphnetError(
      `--out ${dir}: is in use by ${who}; wait for it to finish or give another folder.`,
    );
  return new MorphnetError(
    `--out ${dir}: is locked by ${who}, which cannot be checked from this host; if it is no longer running, delete the "owner" entry of ${path.join(abs, OUT_MARKER)}.`,
  );
}

/** What a folder holds for `command`: nothing yet (fresh), or our unfinished work (marker) to resume. */
async function inspect(
  abs: string,
  dir: string,
  command: string,
): Promise<{ resumed: false } | { resumed: true; marker: OutMarker }> {
  const entries = await contentOf(abs, dir);
  if (!entries || entries.length === 0) return { resumed: false };
  if (!entries.includes(OUT_MARKER)) {
    throw new MorphnetError(`--out ${dir}: is a folder with other files in it; give a new or empty folder.`);
  }
  const marker = await readMarker(abs, dir);
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
  const refusal = lockRefusal(dir, abs, marker);
  if (refusal) throw refusal;
  return { resumed: true, marker };
}

/**
 * Checks an output folder for `command` without touching it: resolves to whether it holds our own
 * unfinished work (to resume); throws a MorphnetError naming the folder when it cannot be used (not
 * ours, finished, or locked by a running process).
 */
export async function checkOutDir(dir: string, command: string): Promise<{ resumed: boolean }> {
  const { resumed } = await inspect(path.resolve(dir), dir, command);
  return { resumed };
}

/**
 * Creates `abs` and its missing parents one level at a time (Node's recursive mkdir loops forever under
 * /proc), with one sentence naming the folder that cannot be created.
 */
async function createFolder(abs: string, dir: string): Promise<void> {
  const missing: string[] = [];
  for (let p = abs; ; p = path.dirname(p)) {
    const stat = await fs.stat(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined; // look further up
      throw outDirError(dir, `reach ${p}`, err);
    });
    if (stat) {
      if (!stat.isDirectory()) throw new MorphnetError(`--out ${dir}: ${p} is a file, not a folder.`);
      break;
    }
    missing.unshift(p);
    if (path.dirname(p) === p) break;
  }
  for (const p of missing) {
    try {
      await fs.mkdir(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw outDirError(dir, `create ${p}`, err);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` while holding the folder's claim file, so two processes never decide at the same time. */
async function withClaim<T>(abs: string, dir: string, work: () => Promise<T>): Promise<T> {
  const file = path.join(abs, CLAIM_FILE);
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    try {
      await (await fs.open(file, 'wx')).close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw outDirError(dir, 'write in it', err);
    }
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > STALE_CLAIM_MS) await fs.rm(file, { force: true });
    else if (Date.now() > deadline)
      throw new MorphnetError(
        `--out ${dir}: another morphnet is claiming it right now; give another folder.`,
      );
    else await sleep(50);
  }
  try {
    return await work();
  } finally {
    await fs.rm(file, { force: true });
  }
}

/**
 * Checks ({@link checkOutDir}) and claims an output folder for `command`: creates it, writes the marker
 * with this process as its owner (taking over a stale lock with a note), and releases the lock when the
 * process exits. {@link finishOutDir} marks the work finished.
 */
export async function prepareOutDir(
  dir: string,
  command: string,
  options: PrepareOutOptions = {},
): Promise<PreparedOut> {
  const abs = path.resolve(dir);
  await checkOutDir(dir, command); // refuse before creating anything
  await createFolder(abs, dir);
  const markerFile = path.join(abs, OUT_MARKER);
  const claimed = await withClaim(abs, dir, async () => {
    const found = await inspect(abs, dir, command);
    const owner = currentOwner();
    const marker: OutMarker = found.resumed
      ? { ...found.marker, owner }
      : { command, startedAt: owner.since, owner };
    try {
      await writeJsonAtomic(markerFile, marker);
    } catch (err) {
      throw outDirError(dir, `write its marker file ${OUT_MARKER}`, err);
    }
    holdMarker(markerFile);
    return { resumed: found.resumed, previous: found.resumed ? found.marker.owner : undefined };
  });
  const out: PreparedOut = { dir: abs, resumed: claimed.resumed };
  if (claimed.previous) {
    out.tookOverFrom = claimed.previous;
    const p = claimed.previous;
    const note = `morphnet: note: --out ${dir} was locked by pid ${p.pid} (since ${p.since}), which is no longer running; taking it over.`;
    (options.onNotice ?? ((line: string) => process.stderr.write(`${line}\n`)))(note);
  }
  return out;
}

/** Marks an output folder's work as finished (it will not be resumed or overwritten) and unlocks it. */
export async function finishOutDir(dir: string): Promise<void> {
  const abs = path.resolve(dir);
  const file = path.join(abs, OUT_MARKER);
  const marker = { ...(await readMarker(abs, dir)) };
  delete marker.owner;
  await writeJsonAtomic(file, { ...marker, finishedAt: new Date().toISOString() });
  forgetMarker(file);
}

/**
 * Unlocks an output folder this process holds without finishing it (its work stays resumable). Done
 * automatically when the process exits; a process killed outright leaves a stale lock, taken over later.
 */
export function releaseOutDir(dir: string): void {
  releaseMarkerSync(path.join(path.resolve(dir), OUT_MARKER));
}
