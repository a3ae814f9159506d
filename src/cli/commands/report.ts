/** `morphnet report DIR`: (re)writes `DIR/report.html` from a run folder. */
import type { Command } from 'commander';
import { MorphnetError } from '../../errors.js';

/** Registers the `report` command. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write DIR/report.html (self-contained, inline SVG) from a run folder')
    .argument('<dir>', 'a folder written by `morphnet run`')
    .option('--pareto <file>', 'add the Pareto benchmark results (bench/results/pareto.json)')
    .action(async (dir: string, o: { pareto?: string }) => {
      const { writeReport } = await import('../../report/index.js');
      try {
        const file = await writeReport(dir, o.pareto ? { pareto: o.pareto } : {});
        process.stdout.write(`${file}\n`);
      } catch (e) {
        throw new MorphnetError((e as Error).message);
      }
    });
}
