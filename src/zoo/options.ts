/** Options shared by every zoo architecture, and their resolution against an architecture's defaults. */

/** What a caller may set when building a zoo model. */
export interface ZooOptions {
  /** Input shape without the batch dimension, NHWC: `[height, width, channels]`. */
  inputShape?: [number, number, number];
  /** Number of output classes (softmax units). */
  classes?: number;
  /** Seed for reproducible initial weights; unseeded (random) when omitted. */
  seed?: number;
}

/** Options with every field but the seed filled in. */
export interface ResolvedOptions {
  inputShape: [number, number, number];
  classes: number;
  seed?: number;
}

/** Fills defaults and checks the values, throwing one readable Error naming the model on a bad value. */
export function resolveOptions(
  name: string,
  options: ZooOptions,
  defaults: { inputShape: [number, number, number]; classes: number },
): ResolvedOptions {
  const inputShape = options.inputShape ?? defaults.inputShape;
  const classes = options.classes ?? defaults.classes;
  if (
    !Array.isArray(inputShape) ||
    inputShape.length !== 3 ||
    !inputShape.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new Error(`zoo model "${name}": inputShape must be [height, width, channels] of positive integers`);
  }
  if (!Number.isInteger(classes) || classes < 1) {
    throw new Error(`zoo model "${name}": classes must be a positive integer, got ${classes}`);
  }
  if (options.seed !== undefined && !Number.isFinite(options.seed)) {
    throw new Error(`zoo model "${name}": seed must be a finite number`);
  }
  return { inputShape: [inputShape[0], inputShape[1], inputShape[2]], classes, seed: options.seed };
}
