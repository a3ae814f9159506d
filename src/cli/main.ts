#!/usr/bin/env node
/** The `morphnet` command line: a thin client of the library. */
import { Command } from 'commander';
import { registerAnalyze } from './commands/analyze.js';
import { registerTrain } from './commands/train.js';
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

program.parseAsync(process.argv).catch(fail);
