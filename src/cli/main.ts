#!/usr/bin/env node
/** The `morphnet` command line. */
console.error('morphnet: no commands yet');
process.exit(1);
