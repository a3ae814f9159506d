/**
 * The measured runtimes on the command line: `--threads N` and `--remeasure` beside `--hardware`, and
 * loading the profile (measured once per machine and runtime, then cached) before a command's work, with
 * the measurement's progress on stderr.
 */
import { Option, type Command } from 'commander';
import { isMeasuredName, MEASURED_HARDWARE } from '../cost/index.js';
import { formatDuration } from '../analyze/index.js';
import { MorphnetError } from '../errors.js';
import type { ModelFigures } from '../report/types.js';
import { positiveInt } from './parse-options.js';

/** The options this file adds. */
export interface MeasuredHardwareFlags {
  hardware?: string;
  threads?: string;
  remeasure?: boolean;
  quiet?: boolean;
}

/** `--threads N`: intra-op threads of a measured runtime. */
export function threadsOption(): Option {
  return new Option(
    '--threads <n>',
    `threads of a measured runtime (${MEASURED_HARDWARE.join(', ')}); default: its own`,
  );
}

/** `--remeasure`: measure the runtime's profile again. */
export function remeasureOption(): Option {
  return new Option(
    '--remeasure',
    "measure the runtime's latency profile again instead of reusing the cached one",
  );
}

/** Adds `--threads N` and `--remeasure` to a command that takes `--hardware`. */
export function measuredHardwareOptions(command: Command): Command {
  return command.addOption(threadsOption()).addOption(remeasureOption());
}

/** Checks `--threads` and `--remeasure` (they need a measured `--hardware`); returns the thread count. */
export function checkMeasuredFlags(flags: MeasuredHardwareFlags): number | undefined {
  const measured = flags.hardware !== undefined && isMeasuredName(flags.hardware);
  for (const [flag, given] of [
    ['--threads', flags.threads !== undefined],
    ['--remeasure', Boolean(flags.remeasure)],
  ] as const) {
    if (given && !measured)
      throw new MorphnetError(
        `${flag} applies to a measured --hardware (${MEASURED_HARDWARE.join(' or ')}).`,
      );
  }
  const threads = flags.threads !== undefined ? positiveInt(flags.threads, '--threads') : undefined;
  if (threads !== undefined && threads > 1 && flags.hardware?.toLowerCase() === 'tfjs-wasm')
    throw new MorphnetError(
      '--threads: tfjs-wasm runs single-threaded in Node (its threaded build needs browser workers); use --threads 1 or leave it out.',
    );
  return threads;
}

/**
 * Loads the profile of a measured `--hardware` (measuring this machine when no cached profile fits, or on
 * `--remeasure`), so the name works in every cost that follows. Does nothing for roofline hardware.
 */
export async function loadMeasuredHardware(flags: MeasuredHardwareFlags): Promise<void> {
  const threads = checkMeasuredFlags(flags);
  if (!flags.hardware || !isMeasuredName(flags.hardware)) return;
  const { measuredHardware } = await import('../latency/index.js');
  const say = (line: string) => {
    if (!flags.quiet) process.stderr.write(`${line}\n`);
  };
  const hw = await measuredHardware(flags.hardware, { threads, remeasure: flags.remeasure, onProgress: say });
  if (hw.measured) say(`latency profile of ${hw.name} saved to ${hw.file}`);
}

/** A network's measured latency for a summary line (empty when it was not measured). */
export function measuredCell(f: ModelFigures): string {
  const m = f.measuredLatency;
  return m
    ? `  ${formatDuration(m.median)} on ${m.hardware} (quartiles ${formatDuration(m.p25)}–${formatDuration(m.p75)})`
    : '';
}
