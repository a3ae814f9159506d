/** The machine a profile is measured on, and the key that tells one machine's profiles from another's. */
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { LatencyProfile } from './profile.js';

/** What a profile records of its machine. */
export type MachineInfo = LatencyProfile['machine'];

/** This machine: CPU model, cores, architecture, platform, memory, host name, and an id from them. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  const cpu = cpus[0]?.model.trim() || 'unknown CPU';
  const cores = os.availableParallelism();
  const memoryGiB = Math.round((os.totalmem() / 2 ** 30) * 10) / 10;
  const identity = [cpu, cores, os.arch(), os.platform(), memoryGiB, os.hostname()].join('|');
  return {
    id: createHash('sha256').update(identity).digest('hex').slice(0, 12),
    hostname: os.hostname(),
    cpu,
    cores,
    arch: os.arch(),
    platform: os.platform(),
    memoryGiB,
  };
}
