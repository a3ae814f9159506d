/**
 * The one error type morphnet throws for bad user input: its message is one readable sentence naming the
 * file, the layer and what was expected, printed by the CLI without a stack trace.
 */
export class MorphnetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MorphnetError';
  }
}
