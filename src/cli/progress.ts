/** Progress bars on stderr for training phases (cli-progress), silent under `--quiet`. */
import cliProgress from 'cli-progress';
import type { Progress } from '../train/types.js';
import { printableLine } from './printable.js';

/** A progress display for a sequence of named training phases. */
export interface PhaseProgress {
  /** Updates the bar of `phase` (starting it on first use). */
  update(phase: string, p: Progress, costFraction: number): void;
  /** Ends the current bar (before printing a line of text). */
  stop(): void;
  /** Prints a line on stderr without breaking the bar. */
  line(text: string): void;
}

/** Creates the progress display; `quiet` prints nothing. */
export function phaseProgress(quiet: boolean): PhaseProgress {
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update(phase, p, costFraction) {
      if (quiet) return;
      const payload = {
        phase: phase.padEnd(18),
        loss: p.loss.toFixed(3),
        cost: `${(100 * costFraction).toFixed(1)}%`,
        acc: p.accuracy === undefined ? '-' : `${(100 * p.accuracy).toFixed(1)}%`,
      };
      if (!bar || current !== phase) {
        stop();
        current = phase;
        bar = new cliProgress.SingleBar({
          format:
            '{phase} |{bar}| {value}/{total} steps | loss {loss} | cost {cost} | acc {acc} | ETA {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 10_000,
        });
        bar.start(p.totalSteps, p.step, payload);
      } else bar.update(p.step, payload);
    },
    stop,
    line(text) {
      if (quiet) return;
      const had = bar !== undefined;
      stop();
      process.stderr.write(`${printableLine(text)}\n`);
      if (had) current = '';
    },
  };
}
