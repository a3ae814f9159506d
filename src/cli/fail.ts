/** How the CLI reports bad input: one readable sentence on stderr, a non-zero exit, no stack trace. */
import { MorphnetError } from '../errors.js';

/** Prints an error as one line (`morphnet: ...`) and exits with code 1 (2 for usage errors). */
export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`morphnet: ${message}\n`);
  if (process.env['MORPHNET_DEBUG'] && error instanceof Error && !(error instanceof MorphnetError)) {
    process.stderr.write(`${error.stack ?? ''}\n`);
  }
  process.exit(1);
}
