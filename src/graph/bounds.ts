/**
 * Sane maxima checked while the graph is built, before anything is allocated for a layer: a model with
 * `filters: 1e9` is refused in one sentence instead of exhausting memory. Real models fit with room to
 * spare (VGG-16's largest kernel is 25,088 × 4,096 ≈ 1.03e8 elements; its largest activation 3.2e6).
 */
import type { Shape } from './types.js';

/** Most elements of one tensor: a weight, or one example's activation (2^31 − 1, the largest typed array index). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Most channels (last-axis entries) of one activation: the channel analysis keeps an index per entry. */
export const MAX_CHANNELS = 2 ** 24;

function elements(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function describe(shape: Shape): string {
  return shape.join(' × ');
}

/** Throws a sentence fragment (the caller names file and layer) when an output shape is too large. */
export function checkActivation(shape: Shape): void {
  const n = elements(shape);
  if (n > MAX_ELEMENTS)
    throw new Error(
      `gives a ${describe(shape)} output (${n.toExponential(2)} elements per example); morphnet refuses activations above 2^31 − 1 elements`,
    );
  const channels = shape[shape.length - 1];
  if (channels > MAX_CHANNELS)
    throw new Error(
      `gives ${channels.toExponential(2)} channels; morphnet refuses more than 2^24 (${MAX_CHANNELS}) channels per tensor`,
    );
}

/** Throws a sentence fragment when a weight is too large. */
export function checkWeight(name: string, shape: Shape): void {
  const n = elements(shape);
  if (n > MAX_ELEMENTS)
    throw new Error(
      `has a ${describe(shape)} weight "${name}" (${n.toExponential(2)} elements); morphnet refuses tensors above 2^31 − 1 elements`,
    );
}
