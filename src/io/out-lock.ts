/**
 * Who holds an output folder: the owner record kept in its marker (pid, host, start time, and on Linux
 * the process's start tick and the boot id, so a recycled pid or a reboot is not mistaken for the
 * owner), whether that owner is still running, and releasing our own locks when the process exits.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';

/** The owner of a locked output folder, as recorded in its marker. */
export const ownerSchema = z.looseObject({
  pid: z.number().int().positive(),
  host: z.string(),
  since: z.string(),
  /** Linux: start time of the process in clock ticks since boot (/proc/PID/stat field 22). */
  processStart: z.string().optional(),
  /** Linux: /proc/sys/kernel/random/boot_id when the lock was taken. */
  bootId: z.string().optional(),
});

/** An owner record. */
export type OutOwner = z.infer<typeof ownerSchema>;

/** Whether an owner still holds its folder: running here, gone, or on another host (cannot be checked). */
export type OwnerState = 'running' | 'gone' | 'elsewhere';

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Fields 3… of /proc/PID/stat (after the command name, which may hold spaces), or undefined off Linux. */
function procStat(pid: number): string[] | undefined {
  const text = readProc(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

/** The owner record of this process, now. */
export function currentOwner(): OutOwner {
  const start = procStat(process.pid)?.[19];
  const boot = bootId();
  return {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    ...(start !== undefined ? { processStart: start } : {}),
    ...(boot !== undefined ? { bootId: boot } : {}),
  };
}

/** True when `owner` is this very process. */
export function isCurrentProcess(owner: OutOwner): boolean {
  const me = currentOwner();
  return owner.pid === me.pid && owner.host === me.host && owner.processStart === me.processStart;
}

/**
 * Whether the recorded owner is still running: on another host it cannot be told; here, a different boot,
 * a pid no process has, a zombie, or a pid now held by a process started at another time means gone.
 */
export function ownerState(owner: OutOwner): OwnerState {
  if (owner.host !== hostname()) return 'elsewhere';
  const boot = bootId();
  if (owner.bootId !== undefined && boot !== undefined && owner.bootId !== boot) return 'gone';
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
  }
  const stat = procStat(owner.pid);
  if (stat !== undefined) {
    if (stat[0] === 'Z' || stat[0] === 'X') return 'gone';
    if (owner.processStart !== undefined && stat[19] !== owner.processStart) return 'gone';
  }
  return 'running';
}

/** Marker files whose lock this process holds, released (owner removed) when it exits. */
const held = new Set<string>();
let exitHookInstalled = false;

/** Drops this process's owner record from one marker file, synchronously (usable in an exit handler). */
export function releaseMarkerSync(markerFile: string): void {
  held.delete(markerFile);
  let marker: Record<string, unknown>;
  try {
    marker = JSON.parse(readFileSync(markerFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return; // gone or damaged: nothing of ours to release
  }
  const owner = ownerSchema.safeParse(marker['owner']);
  if (!owner.success || !isCurrentProcess(owner.data)) return;
  const rest = { ...marker };
  delete rest['owner'];
  const tmp = `${markerFile}.tmp-${process.pid}-release`;
  try {
    writeFileSync(tmp, `${JSON.stringify(rest, null, 2)}\n`);
    renameSync(tmp, markerFile);
  } catch {
    // The folder became unwritable: the lock stays and is taken over as stale by the next run.
  }
}

/** Remembers a marker whose lock this process now holds, to release it at exit. */
export function holdMarker(markerFile: string): void {
  held.add(markerFile);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const file of [...held]) releaseMarkerSync(file);
    });
  }
}

/** Forgets a marker (its work is finished or released). */
export function forgetMarker(markerFile: string): void {
  held.delete(markerFile);
}
