/**
 * Names and checks of an engine's exported optimizer state. Both engines use the same keys and tf.js
 * layout, so a state exported by one imports into the other: `${weight}#velocity` (SGD momentum),
 * `${weight}#m` and `${weight}#v` (Adam moments), and `#step` (the step count, one value).
 */
import { MorphnetError } from '../errors.js';

/** The key of the step count. */
export const STEP_KEY = '#step';

/** The slot names an optimizer configuration keeps per trainable weight. */
export function stateSlots(kind: 'sgd' | 'adam', momentum: number): string[] {
  if (kind === 'adam') return ['m', 'v'];
  return momentum > 0 ? ['velocity'] : [];
}

/** The exported key of one slot of one weight. */
export function stateKey(weight: string, slot: string): string {
  return `${weight}#${slot}`;
}

/**
 * Checks `state` against the expected keys and lengths (every expected key present with its length, no
 * other key but `#step`) and returns the step count (0 when absent).
 */
export function checkOptimizerState(
  state: Record<string, Float32Array>,
  expected: Map<string, number>,
): number {
  for (const [key, length] of expected) {
    const a = state[key];
    if (!a) throw new MorphnetError(`the optimizer state has no "${key}"`);
    if (a.length !== length)
      throw new MorphnetError(`the optimizer state's "${key}" has ${a.length} values, expected ${length}`);
  }
  for (const key of Object.keys(state)) {
    if (key !== STEP_KEY && !expected.has(key))
      throw new MorphnetError(`the optimizer state has "${key}", which this engine does not keep`);
  }
  const step = state[STEP_KEY];
  if (step && (step.length !== 1 || !Number.isInteger(step[0]) || step[0] < 0))
    throw new MorphnetError(`the optimizer state's "${STEP_KEY}" is not one step count`);
  return step ? step[0] : 0;
}
