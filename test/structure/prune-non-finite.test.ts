/**
 * `pruneModel` copies weights as they are; when some are NaN or infinite (a diverged training, a damaged
 * file) it says so, one warning per layer naming the layer, the weight and how many values of how many.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { pruneModel } from '../../src/structure/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend, tf } from '../helpers/tf.js';

beforeAll(cpuBackend);

/** Sets the given flat indices of one weight (by manifest name) to `value`. */
function poison(model: tf.LayersModel, name: string, indices: number[], value: number): void {
  const w = model.layers.flatMap((l) => l.weights).find((v) => v.originalName === name)!;
  const values = w.read().dataSync().slice();
  for (const i of indices) values[i] = value;
  w.write(tf.tensor(values, w.shape as number[]));
}

describe('pruneModel with non-finite weights', () => {
  it('warns once per layer, naming it, and still prunes', async () => {
    const model = buildZooModel('tiny', { seed: 2 });
    poison(model, 'conv2/kernel', [0, 5, 17], Number.NaN); // conv2: 3·3·4·8 = 288 values
    poison(model, 'conv1_bn/moving_variance', [1], Infinity); // 4 values
    const clean = await pruneModel(buildZooModel('tiny', { seed: 2 }), { threshold: 0 });
    const result = await pruneModel(model, { threshold: 0 });
    const added = result.warnings.filter((w) => !clean.warnings.includes(w));
    expect(added).toEqual([
      'layer "conv1_bn": its moving_variance holds 1 NaN or infinite values of 4; they are copied as they are.',
      'layer "conv2": its kernel holds 3 NaN or infinite values of 288; they are copied as they are.',
    ]);
    expect(result.model.countParams()).toBe(model.countParams());
    for (const m of [model, clean.model, result.model]) m.dispose();
  });
});
