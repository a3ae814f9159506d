#!/usr/bin/env node
/** The `morphnet` command line: a thin client of the library. */
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

const program = new Command();
program
  .name('morphnet')
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

program.parseAsync(process.argv).catch(fail);
