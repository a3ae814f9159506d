#!/usr/bin/env node
/** The `morphnet` command line: a thin client of the library. */
import { createRequire } from 'node:module';
import { Command } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerExpand } from './commands/expand.js';
import { registerExport } from './commands/export.js';
import { registerPrune } from './commands/prune.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerTrain } from './commands/train.js';
import { registerUniform } from './commands/uniform.js';
import { fail } from './fail.js';

/** The package's version, from its package.json (two levels up from both src/cli and dist/cli). */
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command();
program
  .name('morphnet')
  .version(version, '-V, --version', 'print the version and exit')
  .description(
    'MorphNet for TensorFlow.js: learn a cheaper or better network structure for a resource budget',
  )
  .showHelpAfterError();
registerAnalyze(program);
registerTrain(program);
registerPrune(program);
registerExpand(program);
registerUniform(program);
registerRun(program);
registerReport(program);
registerExport(program);

// Ctrl-C or a polite kill ends the process through process.exit, so the exit handlers run (the lock on
// --out is released); only SIGKILL or a crash leaves a stale lock, taken over by the next run.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

program.parseAsync(process.argv).catch(fail);
