/**
 * The structure entry points refuse nonsense before any work (DESIGN.md "Library": a budget that is a
 * string, NaN, ±Infinity or ≤ 0, a threshold that is not a finite number ≥ 0, a null model, an unknown
 * target): one MorphnetError sentence naming the function and the option as the library spells it, never
 * a CLI flag. Before these checks a "50%" budget silently built the width-1 model and a null model died
 * with a TypeError from deep inside.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MorphnetError } from '../../src/errors.js';
import { expandModel, pruneModel, searchWidths, uniformModel } from '../../src/structure/index.js';
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import { modelCost } from '../../src/cost/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend, tf } from '../helpers/tf.js';

let model: tf.LayersModel;
let flops: number;
beforeAll(async () => {
  await cpuBackend();
  model = buildZooModel('tiny', { seed: 1 });
  const graph = graphFromModel(model);
  flops = modelCost(graph, analyzeGroups(graph), 'flops');
});

/** The call rejects with one MorphnetError sentence matching `pattern`, naming no CLI flag. */
async function refuses(call: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MorphnetError);
  const message = (error as Error).message;
  expect(message).toMatch(pattern);
  expect(message).not.toMatch(/--|\n/);
  expect(message).toMatch(/\.$/);
}

const NONSENSE_BUDGETS: unknown[] = ['50%', 'abc', '1000', Number.NaN, Infinity, -Infinity, 0, -5, null, {}];

describe('expandModel / uniformModel', () => {
  it.each(NONSENSE_BUDGETS.map((b) => [b]))('refuse the budget %s', async (budget) => {
    const options = { target: 'flops', budget } as unknown as Parameters<typeof expandModel>[1];
    await refuses(() => expandModel(model, options), /^expandModel: budget .* must be a finite number > 0/);
    await refuses(() => uniformModel(model, options), /^uniformModel: budget .* must be a finite number > 0/);
  });

  it('refuse a null or non-model first argument', async () => {
    for (const bad of [null, undefined, {}, 'model.json']) {
      const m = bad as unknown as tf.LayersModel;
      await refuses(
        () => expandModel(m, { target: 'flops', budget: 1000 }),
        /^expandModel: model must be a tf\.js LayersModel, got/,
      );
      await refuses(
        () => uniformModel(m, { target: 'flops', budget: 1000 }),
        /^uniformModel: model must be a tf\.js LayersModel/,
      );
    }
  });

  it('refuse an unknown or missing target, a bad roundTo, hardware and missing options', async () => {
    const as = (o: unknown) => o as Parameters<typeof expandModel>[1];
    await refuses(
      () => uniformModel(model, as({ target: 'bogus', budget: 1000 })),
      /target "bogus" is not one of flops, size, latency, activations\./,
    );
    await refuses(
      () => expandModel(model, as({ budget: 1000 })),
      /^expandModel: target undefined is not one of/,
    );
    await refuses(() => expandModel(model, as(null)), /^expandModel: options must be an object, got null\./);
    for (const roundTo of [0, 1.5, '8'])
      await refuses(
        () => expandModel(model, as({ target: 'flops', budget: 1000, roundTo })),
        /roundTo .* must be a positive integer\./,
      );
    await refuses(
      () => uniformModel(model, as({ target: 'latency', budget: 1000 })),
      /target "latency" needs the hardware option/,
    );
    await refuses(
      () => uniformModel(model, as({ target: 'latency', budget: 1000, hardware: 'Z80' })),
      /^uniformModel: hardware "Z80": unknown hardware "Z80"; known: /,
    );
    const graph = graphFromModel(model);
    expect(() =>
      searchWidths(graph, analyzeGroups(graph), undefined, as({ target: 'flops', budget: '50%' })),
    ).toThrow(/^searchWidths: budget "50%" must be a finite number > 0/);
  });

  it('still build the model for a sound budget (half the FLOPs, within 1%)', async () => {
    const r = await uniformModel(model, { target: 'flops', budget: flops / 2 });
    expect(Math.abs(r.search.cost / (flops / 2) - 1)).toBeLessThan(0.01);
    r.model.dispose();
  });
});

describe('pruneModel', () => {
  it.each([['abc'], [Number.NaN], [-1], [Infinity], ['0.01'], [null]])(
    'refuses the threshold %s',
    async (threshold) => {
      const options = { threshold } as unknown as Parameters<typeof pruneModel>[1];
      await refuses(
        () => pruneModel(model, options),
        /^pruneModel: threshold .* must be a finite number ≥ 0\./,
      );
    },
  );

  it('refuses a null model, an unknown target, a malformed structure or alive mask', async () => {
    const as = (o: unknown) => o as Parameters<typeof pruneModel>[1];
    await refuses(
      () => pruneModel(null as unknown as tf.LayersModel),
      /^pruneModel: model must be a tf\.js LayersModel, got null\./,
    );
    await refuses(
      () => pruneModel(model, as({ target: 'bogus' })),
      /^pruneModel: target "bogus" is not one of/,
    );
    await refuses(
      () => pruneModel(model, as({ structure: { alive: 3 } })),
      /^pruneModel: structure is not a structure file's content/,
    );
    await refuses(
      () => pruneModel(model, as({ alive: [1, 0, 1] })),
      /^pruneModel: alive must be a Uint8Array/,
    );
    await refuses(
      () => pruneModel(model, as({ measure: 'sometimes' })),
      /^pruneModel: measure "sometimes" is not one of/,
    );
  });

  it('still prunes with threshold 0 (nothing below it: the same channels)', async () => {
    const r = await pruneModel(model, { threshold: 0 });
    expect(r.model.countParams()).toBe(model.countParams());
    r.model.dispose();
  });
});
