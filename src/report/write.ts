/** Reads a run folder (summary, per-phase history and structure, optional Pareto results) and writes `report.html`. */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { renderReport } from './render.js';
import type { History, ParetoResults, Phase, ReportInput, StructureFile, Summary } from './types.js';

/** Options of `writeReport` / `readRun`. */
export interface ReportOptions {
  /** Pareto benchmark results (a `pareto.json` path or the parsed object); default `DIR/pareto.json` if present. */
  pareto?: string | ParetoResults;
  title?: string;
}

async function readJson<T>(file: string, required: boolean): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${file} does not exist.`);
    throw new Error(`${file} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}).`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkSummary(summary: unknown, file: string): Summary {
  const problem = !isObject(summary)
    ? 'it is not a JSON object'
    : !isObject(summary.seed)
      ? 'it has no "seed" object'
      : !isObject(summary.uniform)
        ? 'it has no "uniform" object'
        : !Array.isArray(summary.cycles)
          ? 'its "cycles" is not a list'
          : typeof summary.target !== 'string'
            ? 'its "target" is not a string'
            : typeof summary.budget !== 'number'
              ? 'its "budget" is not a number'
              : undefined;
  if (problem) throw new Error(`${file} is not a run summary: ${problem}.`);
  return summary as Summary;
}

function checkHistory(history: unknown, file: string): History | undefined {
  if (history === undefined) return undefined;
  if (!isObject(history) || !Array.isArray(history.steps)) {
    throw new Error(`${file} is not a training history: it has no "steps" list.`);
  }
  return history as History;
}

function checkStructure(structure: unknown, file: string): StructureFile | undefined {
  if (structure === undefined) return undefined;
  if (!isObject(structure) || !isObject(structure.alive)) {
    throw new Error(`${file} is not a structure file: it has no "alive" object.`);
  }
  return structure as StructureFile;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** Phase folders of a run: every folder up to two levels deep holding `history.json` or `structure.json`. */
async function findPhaseDirs(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string, depth: number): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true });
    if (
      depth > 0 &&
      entries.some((e) => e.isFile() && (e.name === 'history.json' || e.name === 'structure.json'))
    ) {
      found.push(relative(dir, path).split(sep).join('/'));
    }
    if (depth >= 2) return;
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'checkpoints' && !e.name.startsWith('.'))
        await visit(join(path, e.name), depth + 1);
    }
  };
  await visit(dir, 0);
  return found.sort(comparePhases);
}

/** Stages within a cycle, in order (folder names such as `cycle-1/shrink`, `cycle-1/shrunk`, `cycle-1/expanded`). */
const STAGES = [/shrink/, /shrunk|prune/, /expand/, /retrain|finetune|fine-tune/];

function phaseKey(name: string): [number, number, number] {
  const lower = name.toLowerCase();
  const stage = STAGES.findIndex((s) => s.test(lower));
  const cycle = /cycle[-_ ]?(\d+)/.exec(lower);
  if (cycle) return [2, Number(cycle[1]), stage < 0 ? STAGES.length : stage];
  if (lower.includes('seed')) return [0, 0, 0];
  if (lower.includes('uniform')) return [1, 0, 0];
  return [3, 0, 0];
}

/** Orders phase folders as a run proceeds: seed, uniform, then each cycle's shrink, shrunk/prune, expand, retrain; others last. */
export function comparePhases(a: string, b: string): number {
  const [ka, kb] = [phaseKey(a), phaseKey(b)];
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return a.localeCompare(b, 'en', { numeric: true });
}

/** True when `inner` lies strictly below `outer` (both absolute). */
function isInside(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The path of `name` inside the run folder, refused when it leads out of it: a `../` or absolute name,
 * or a symlink whose target lies elsewhere (a report reads only inside its folder). `source` is the file
 * that named it, `what` how the message calls it.
 */
async function insideRun(
  dir: string,
  realDir: string,
  name: string,
  source: string,
  what: string,
): Promise<string> {
  const file = resolve(dir, name);
  const real = await realpath(file).catch(() => undefined); // a missing file is not an escape
  if (!isInside(resolve(dir), file) || (real !== undefined && !isInside(realDir, real)))
    throw new Error(`${source}: ${what} lies outside the run folder ${dir}; a report reads only inside it.`);
  return join(dir, name);
}

/** Reads a run folder into the report's input: `DIR/summary.json` (required), phases, optional Pareto results. */
export async function readRun(dir: string, options: ReportOptions = {}): Promise<ReportInput> {
  if (!(await isDir(dir))) throw new Error(`${dir} is not a folder.`);
  const realDir = await realpath(dir);
  const summaryFile = join(dir, 'summary.json');
  await insideRun(dir, realDir, 'summary.json', summaryFile, 'it');
  const summary = checkSummary(await readJson(summaryFile, true), summaryFile);
  const names = Array.isArray(summary.phases) ? summary.phases.map(String) : await findPhaseDirs(dir);
  const phases: Phase[] = [];
  for (const name of names) {
    const phase = `phase ${JSON.stringify(name)}`;
    await insideRun(dir, realDir, name, summaryFile, phase);
    const historyFile = await insideRun(
      dir,
      realDir,
      join(name, 'history.json'),
      summaryFile,
      `${phase}'s history.json`,
    );
    const structureFile = await insideRun(
      dir,
      realDir,
      join(name, 'structure.json'),
      summaryFile,
      `${phase}'s structure.json`,
    );
    const history = checkHistory(await readJson(historyFile, false), historyFile);
    const structure = checkStructure(await readJson(structureFile, false), structureFile);
    if (history || structure) phases.push({ name, history, structure });
  }
  let pareto: ParetoResults | undefined;
  if (typeof options.pareto === 'object') pareto = options.pareto;
  else {
    // A --pareto file the user names may lie anywhere; the default one must lie inside the run folder.
    const own = join(dir, 'pareto.json');
    const file = options.pareto ?? (await insideRun(dir, realDir, 'pareto.json', own, 'it'));
    pareto = await readJson<ParetoResults>(file, options.pareto !== undefined);
    if (pareto !== undefined && (!isObject(pareto) || !Array.isArray(pareto.entries))) {
      throw new Error(`${file} is not a Pareto result file: it has no "entries" list.`);
    }
  }
  return {
    title: options.title ?? `MorphNet run: ${basename(dir)}`,
    summary,
    phases,
    ...(pareto ? { pareto } : {}),
  };
}

/** Renders the run in `dir` and writes `dir/report.html` atomically; returns the report's path. */
export async function writeReport(dir: string, options: ReportOptions = {}): Promise<string> {
  const input = await readRun(dir, options);
  const file = join(dir, 'report.html');
  await writeFileAtomic(file, renderReport(input));
  return file;
}
