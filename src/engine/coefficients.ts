/** Checks of the per-channel extra-gradient coefficients shared by both engines. */
import { MorphnetError } from '../errors.js';

/** Validates and copies `setExtraGradient` input against the output-channel count of each named weight. */
export function updateCoefficients(
  current: Map<string, Float32Array>,
  update: Record<string, Float32Array | null>,
  channels: (name: string) => number | undefined,
): void {
  for (const [name, c] of Object.entries(update)) {
    if (c === null) {
      current.delete(name);
      continue;
    }
    const n = channels(name);
    if (n === undefined)
      throw new MorphnetError(`setExtraGradient: "${name}" is not a trainable weight of the model.`);
    if (c.length !== n) {
      throw new MorphnetError(
        `setExtraGradient: "${name}" has ${n} output channels, got ${c.length} coefficients.`,
      );
    }
    current.set(name, Float32Array.from(c));
  }
}
