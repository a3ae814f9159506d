/** How the CLI reports bad input: one readable sentence on stderr, a non-zero exit, no stack trace. */
import { MorphnetError } from '../errors.js';
import { printableLine } from './printable.js';

/** Raw runtime messages worth a sentence of their own (an array too large for this process). */
function sentenceOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (
    error instanceof RangeError &&
    /Invalid typed array length|Array buffer allocation failed|Invalid array length/.test(message)
  )
    return `the work needs more memory than this process can hold (${message}); give smaller sizes, such as --limit, --batch-size or --input-shape.`;
  return message;
}

/** Prints an error as one line (`morphnet: ...`, control characters removed) and exits with code 1. */
export function fail(error: unknown): never {
  process.stderr.write(`morphnet: ${printableLine(sentenceOf(error))}\n`);
  if (process.env['MORPHNET_DEBUG'] && error instanceof Error && !(error instanceof MorphnetError)) {
    process.stderr.write(`${error.stack ?? ''}\n`);
  }
  process.exit(1);
}
