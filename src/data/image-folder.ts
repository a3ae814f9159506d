/**
 * Image folders in Keras' `image_dataset_from_directory` layout: `DIR/train/<class>/*` with
 * `DIR/test/<class>/*`, or only `DIR/<class>/*` (then a seeded `testFraction` of each class is held out
 * for the test split). Classes are the sub-folder names sorted by code point; files inside a class folder
 * are found at any depth; top-level files and hidden entries (names starting with a dot) are ignored. A
 * file whose first bytes are not a PNG or JPEG signature is skipped with one warning line.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { MorphnetError } from '../errors.js';
import { sniffFormat } from './image-decode.js';
import { permutation } from './random.js';

/** A list of image files with the class index of each. */
export interface ImageFiles {
  /** Absolute or `root`-joined paths. */
  files: string[];
  /** Class index of each file, 0 ≤ label < classes. */
  labels: Uint16Array;
}

/** A scanned image folder. */
export interface ImageFolder {
  root: string;
  /** `split`: DIR/train and DIR/test; `classes`: class folders directly in DIR (test held out). */
  layout: 'split' | 'classes';
  /** Class names, sorted by code point; a label is an index into it. */
  classNames: string[];
  train: ImageFiles;
  test: ImageFiles;
}

/** Options of `scanImageFolder`. */
export interface ScanOptions {
  /** Fraction of each class held out as the test split when DIR has no train/ and test/ (default 0.1). */
  testFraction?: number;
  /** Seed of that hold-out (default 0). */
  seed?: number;
  /** Receives one line per skipped file; default `console.warn`. */
  onNotice?: (line: string) => void;
}

/** Compares strings by Unicode code point (Python's `sorted`, as Keras orders class folders). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const hidden = (name: string) => name.startsWith('.');

/** Sub-folders of `dir` (symbolic links to folders included), sorted by code point; hidden ones skipped. */
async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (hidden(e.name)) continue;
    if (
      e.isDirectory() ||
      (e.isSymbolicLink() && (await stat(join(dir, e.name)).catch(() => null))?.isDirectory())
    )
      out.push(e.name);
  }
  return out.sort(compareCodePoints);
}

/** Every non-hidden file under `dir`, at any depth, sorted by code point of the relative path. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (hidden(e.name)) continue;
      const path = join(d, e.name);
      const info = e.isSymbolicLink() ? await stat(path).catch(() => null) : e;
      if (info?.isDirectory()) await walk(path);
      else if (info?.isFile()) out.push(path);
    }
  };
  await walk(dir);
  return out.sort((a, b) => compareCodePoints(relative(dir, a), relative(dir, b)));
}

/** Files whose signatures are read at once. */
const SNIFF_CHUNK = 64;

/** Whether a file starts with a PNG or JPEG signature. */
async function looksLikeImage(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    return sniffFormat(head.subarray(0, bytesRead)) !== null;
  } finally {
    await handle.close();
  }
}

/** The image files of each class folder of `dir`; files that are not PNG/JPEG are reported and left out. */
async function scanClasses(
  dir: string,
  classNames: string[],
  root: string,
  notice: (line: string) => void,
): Promise<string[][]> {
  const perClass: string[][] = [];
  for (const name of classNames) {
    const path = join(dir, name);
    const files: string[] = [];
    const all = await filesUnder(path);
    for (let start = 0; start < all.length; start += SNIFF_CHUNK) {
      const chunk = all.slice(start, start + SNIFF_CHUNK);
      const ok = await Promise.all(chunk.map(looksLikeImage));
      chunk.forEach((file, i) => {
        if (ok[i]) files.push(file);
        else notice(`morphnet: skipping ${relative(root, file)}: not a PNG or JPEG file.`);
      });
    }
    if (files.length === 0) {
      throw new MorphnetError(
        `the class folder ${relative(root, path) || path} holds no PNG or JPEG images.`,
      );
    }
    perClass.push(files);
  }
  return perClass;
}

function flatten(perClass: string[][]): ImageFiles {
  const files = perClass.flat();
  const labels = new Uint16Array(files.length);
  let k = 0;
  perClass.forEach((list, label) => list.forEach(() => (labels[k++] = label)));
  return { files, labels };
}

/** Holds out `fraction` of each class (rounded, seeded per class); both parts keep the sorted order. */
function holdOut(
  perClass: string[][],
  fraction: number,
  seed: number,
): { train: ImageFiles; test: ImageFiles } {
  const train: string[][] = [];
  const test: string[][] = [];
  perClass.forEach((files, label) => {
    const take = Math.round(files.length * fraction);
    const order = permutation(files.length, seed + label);
    const held = new Set(order.subarray(0, take));
    train.push(files.filter((_, i) => !held.has(i)));
    test.push(files.filter((_, i) => held.has(i)));
  });
  return { train: flatten(train), test: flatten(test) };
}

async function checkedFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new MorphnetError(`the image folder ${dir} does not exist.`);
  if (!info.isDirectory()) throw new MorphnetError(`${dir} is not a folder of class folders.`);
}

/**
 * Lists an image folder: its classes and the files of its train and test splits. Throws a
 * `MorphnetError` when it holds no class folders, a class folder holds no PNG/JPEG file, or train/ and
 * test/ disagree on the classes.
 */
export async function scanImageFolder(dir: string, options: ScanOptions = {}): Promise<ImageFolder> {
  const fraction = options.testFraction ?? 0.1;
  if (!(fraction >= 0 && fraction < 1)) {
    throw new MorphnetError(`testFraction must be at least 0 and below 1, got ${fraction}.`);
  }
  const notice = options.onNotice ?? ((line: string) => console.warn(line));
  await checkedFolder(dir);
  const top = await subfolders(dir);
  const hasTrain = top.includes('train');
  const hasTest = top.includes('test');
  if (hasTrain !== hasTest) {
    const [has, lacks] = hasTrain ? ['train', 'test'] : ['test', 'train'];
    throw new MorphnetError(
      `${dir} has a ${has}/ folder but no ${lacks}/ folder: give both, or put the class folders directly in it.`,
    );
  }
  if (hasTrain) {
    const classNames = await subfolders(join(dir, 'train'));
    if (classNames.length === 0) throw new MorphnetError(`${join(dir, 'train')} holds no class folders.`);
    const testNames = await subfolders(join(dir, 'test'));
    const differ = [
      ...classNames.filter((c) => !testNames.includes(c)),
      ...testNames.filter((c) => !classNames.includes(c)),
    ];
    if (differ.length > 0) {
      throw new MorphnetError(
        `${dir}: train/ and test/ must hold the same class folders; "${differ[0]}" is in only one of them.`,
      );
    }
    const train = flatten(await scanClasses(join(dir, 'train'), classNames, dir, notice));
    const test = flatten(await scanClasses(join(dir, 'test'), classNames, dir, notice));
    return { root: dir, layout: 'split', classNames, train, test };
  }
  if (top.length === 0) {
    throw new MorphnetError(
      `${dir} holds no class folders: put the images in ${dir}/<class>/ or ${dir}/train/<class>/.`,
    );
  }
  const perClass = await scanClasses(dir, top, dir, notice);
  const { train, test } = holdOut(perClass, fraction, options.seed ?? 0);
  if (fraction > 0 && test.files.length === 0) {
    throw new MorphnetError(
      `${dir} holds too few images per class to hold out a test fraction of ${fraction}: raise testFraction, or give train/ and test/ folders.`,
    );
  }
  return { root: dir, layout: 'classes', classNames: top, train, test };
}
