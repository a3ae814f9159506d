/**
 * Argument checks of the structure entry points (`pruneModel`, `expandModel`, `uniformModel`,
 * `searchWidths`), run before any work: a library caller who passes nonsense (a budget of "50%", NaN or
 * Infinity, a threshold of "abc", a null model, an unknown target) gets one `MorphnetError` sentence
 * naming the function and the option as the library spells it, never a CLI flag and never a TypeError
 * from deep inside.
 */
import { hardware as findHardware, HARDWARE_NAMES, TARGETS } from '../cost/index.js';
import { MorphnetError } from '../errors.js';
import { structureSchema } from './structure-file.js';

const shown = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return Array.isArray(value) ? 'a list' : `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`;
};

/** Refuses anything that is not a tf.js LayersModel (checked by shape, not `instanceof`: any tf.js copy). */
export function checkModel(fn: string, model: unknown): void {
  const m = model as { layers?: unknown; inputs?: unknown; outputs?: unknown } | null | undefined;
  if (
    m == null ||
    typeof m !== 'object' ||
    !Array.isArray(m.layers) ||
    !Array.isArray(m.inputs) ||
    !Array.isArray(m.outputs)
  )
    throw new MorphnetError(`${fn}: model must be a tf.js LayersModel, got ${shown(model)}.`);
}

/** Refuses an options argument that is not an object. */
export function checkOptionsObject(fn: string, options: unknown, required: boolean): void {
  if (options === undefined && !required) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new MorphnetError(`${fn}: options must be an object, got ${shown(options)}.`);
}

/** Refuses a target that is not one of {@link TARGETS}; `required` refuses a missing one too. */
export function checkTarget(fn: string, target: unknown, required: boolean): void {
  if (target === undefined && !required) return;
  if (!(TARGETS as readonly unknown[]).includes(target))
    throw new MorphnetError(`${fn}: target ${shown(target)} is not one of ${TARGETS.join(', ')}.`);
}

/** Refuses a budget that is not a finite number > 0 (library budgets are absolute, in the target's unit). */
export function checkBudget(fn: string, budget: unknown): void {
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0)
    throw new MorphnetError(
      `${fn}: budget ${shown(budget)} must be a finite number > 0, an absolute cost in the target's unit (work out percentages of the model's cost before calling).`,
    );
}

/** Refuses a threshold that is not a finite number ≥ 0 (undefined: the default). */
export function checkThreshold(fn: string, threshold: unknown): void {
  if (threshold === undefined) return;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0)
    throw new MorphnetError(`${fn}: threshold ${shown(threshold)} must be a finite number ≥ 0.`);
}

/** Refuses a `roundTo` that is not a positive integer (undefined: 1). */
export function checkRoundTo(fn: string, roundTo: unknown): void {
  if (roundTo === undefined) return;
  if (typeof roundTo !== 'number' || !Number.isInteger(roundTo) || roundTo < 1)
    throw new MorphnetError(`${fn}: roundTo ${shown(roundTo)} must be a positive integer.`);
}

/**
 * Refuses an unknown hardware name, a measured one whose profile is not loaded yet, and a latency target
 * without one.
 */
export function checkHardware(fn: string, target: unknown, name: unknown): void {
  if (name === undefined) {
    if (target === 'latency')
      throw new MorphnetError(
        `${fn}: target "latency" needs the hardware option (one of ${HARDWARE_NAMES.join(', ')}).`,
      );
    return;
  }
  if (typeof name !== 'string')
    throw new MorphnetError(`${fn}: hardware must be a hardware name (a string), got ${shown(name)}.`);
  try {
    findHardware(name);
  } catch (e) {
    throw new MorphnetError(`${fn}: hardware ${shown(name)}: ${(e as Error).message.replace(/\.$/, '')}.`);
  }
}

/** Refuses an alive mask that is not a Uint8Array (undefined: every channel). */
export function checkAlive(fn: string, alive: unknown): void {
  if (alive !== undefined && !(alive instanceof Uint8Array))
    throw new MorphnetError(
      `${fn}: alive must be a Uint8Array of 0/1 flags per channel class, got ${shown(alive)}.`,
    );
}

/** The checks shared by every width search: target, budget, roundTo, hardware. */
export function checkWidthOptions(fn: string, options: unknown): void {
  checkOptionsObject(fn, options, true);
  const o = options as Record<string, unknown>;
  checkTarget(fn, o['target'], true);
  checkBudget(fn, o['budget']);
  checkRoundTo(fn, o['roundTo']);
  checkHardware(fn, o['target'], o['hardware']);
}

/** The checks of `pruneModel`'s options (all optional). */
export function checkPruneOptions(fn: string, options: unknown): void {
  checkOptionsObject(fn, options, false);
  const o = (options ?? {}) as Record<string, unknown>;
  checkThreshold(fn, o['threshold']);
  checkTarget(fn, o['target'], false);
  if (o['hardware'] !== undefined) checkHardware(fn, o['target'], o['hardware']);
  checkAlive(fn, o['alive']);
  if (o['measure'] !== undefined && !['always', 'never', 'auto'].includes(o['measure'] as string))
    throw new MorphnetError(`${fn}: measure ${shown(o['measure'])} is not one of always, never, auto.`);
  if (o['structure'] !== undefined) {
    const parsed = structureSchema.safeParse(o['structure']);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new MorphnetError(
        `${fn}: structure is not a structure file's content (${issue.path.join('.') || 'it'}: ${issue.message}).`,
      );
    }
  }
}
