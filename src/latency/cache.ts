/**
 * Where profiles are kept: a folder of the user's cache, never the project. `MORPHNET_CACHE_DIR` if set,
 * else `$XDG_CACHE_HOME/morphnet`, else `~/.cache/morphnet`; one file per runtime, runtime version,
 * threads and machine, so a new onnxruntime or another machine measures again.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJsonAtomic } from '../io/atomic.js';
import { profileSchema, type LatencyProfile, type RuntimeName } from './profile.js';

/** The cache folder of morphnet. */
export function cacheDir(): string {
  const env = process.env;
  if (env['MORPHNET_CACHE_DIR']) return path.resolve(env['MORPHNET_CACHE_DIR']);
  const base = env['XDG_CACHE_HOME'] ? env['XDG_CACHE_HOME'] : path.join(os.homedir(), '.cache');
  return path.join(base, 'morphnet');
}

/** The file of a profile: `<cache>/latency/<runtime>-<version>-<threads>-<machine>.json`. */
export function profileFile(
  hardware: RuntimeName,
  version: string,
  threads: number | 'default',
  machineId: string,
): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9.]+/g, '_');
  const name = `${hardware}-${safe(version)}-${threads === 'default' ? 'default' : `t${threads}`}-${machineId}.json`;
  return path.join(cacheDir(), 'latency', name);
}

/** Reads a cached profile; null when there is none or it is unreadable (then it is measured again). */
export async function readProfile(file: string): Promise<LatencyProfile | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = profileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Stores a profile (atomically). */
export async function writeProfile(file: string, profile: LatencyProfile): Promise<void> {
  await writeJsonAtomic(file, profile);
}
