/**
 * The structure file: written from a prune, read back to the same alive channels, validated against the
 * model (unknown names, counts larger than the layer, masks inconsistent with the groups, pruned
 * outputs), and the dead-group rule (a group entirely dead keeps its strongest channel, with a warning).
 */
import { graphFromModel } from '../../src/graph/index.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeGroups } from '../../src/groups/index.js';
import {
  aliveFromStructure,
  decideAlive,
  parseStructure,
  pruneModel,
  readWeights,
} from '../../src/structure/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, randomizeStats, weightShape } from './helpers.js';

beforeAll(cpuBackend);

/** stem (4) → bn; two branches a, b (4 each) → bn; add(a, b) → gap → fc (2). */
function net(): tf.LayersModel {
  const x = tf.input({ shape: [5, 5, 2], name: 'x' });
  const stem = apply(
    tf.layers.batchNormalization({ name: 'stem_bn' }),
    apply(tf.layers.conv2d({ name: 'stem', filters: 4, kernelSize: 1 }), x),
  );
  const a = apply(
    tf.layers.batchNormalization({ name: 'a_bn' }),
    apply(tf.layers.conv2d({ name: 'a', filters: 4, kernelSize: 1 }), stem),
  );
  const b = apply(
    tf.layers.batchNormalization({ name: 'b_bn' }),
    apply(tf.layers.conv2d({ name: 'b', filters: 4, kernelSize: 1 }), stem),
  );
  const add = apply(tf.layers.add({ name: 'add' }), [a, b]);
  const y = apply(
    tf.layers.dense({ name: 'fc', units: 2 }),
    apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), add),
  );
  return tf.model({ inputs: x, outputs: y });
}

function setup() {
  const m = net();
  randomizeStats(m, 1);
  const graph = graphFromModel(m);
  return { m, graph, groups: analyzeGroups(graph) };
}

describe('structure file', () => {
  it('round-trips: the structure of a prune gives back the same alive mask', async () => {
    const { m, graph, groups } = setup();
    killChannels(m, 'stem_bn', [2]);
    killChannels(m, 'a_bn', [0, 3]);
    killChannels(m, 'b_bn', [0, 3]);
    const r = await pruneModel(m);
    expect(r.structure).toMatchObject({
      version: 1,
      target: 'flops',
      threshold: 0.01,
      alive: { stem: 3, a: 2, b: 2, fc: 2 },
      masks: { stem: [0, 1, 3], a: [1, 2], b: [1, 2], fc: [0, 1] },
    });
    expect(r.structure.cost!.after).toBeLessThan(r.structure.cost!.before);
    const json = JSON.parse(JSON.stringify(r.structure));
    const back = aliveFromStructure(parseStructure(json), graph, groups);
    expect(Array.from(back.alive)).toEqual(Array.from(r.alive));
    // counts only (morph-net's exporter): the strongest channels by |γ|
    const decision = decideAlive(groups, readWeights(m));
    const countsOnly = parseStructure({ version: 1, target: 'flops', alive: json.alive });
    const fromCounts = aliveFromStructure(countsOnly, graph, groups, { values: decision.values });
    expect(Array.from(fromCounts.alive)).toEqual(Array.from(r.alive));
  });

  it('prunes with a saved structure instead of the weights', async () => {
    const { m } = setup();
    const structure = parseStructure({
      version: 1,
      target: 'size',
      alive: { a: 1, b: 1 },
      masks: { a: [2], b: [2] },
    });
    const r = await pruneModel(m, { structure });
    expect(weightShape(r.model, 'a', 'kernel')).toEqual([1, 1, 4, 1]);
    expect(weightShape(r.model, 'fc', 'kernel')).toEqual([1, 2]);
    expect(r.structure.target).toBe('size');
  });

  it('refuses structures that do not match the model, in one sentence', () => {
    const { graph, groups } = setup();
    const check = (json: unknown) => () =>
      aliveFromStructure(parseStructure(json, 's.json'), graph, groups, { source: 's.json' });
    const base = { version: 1, target: 'flops' };
    expect(check({ ...base, alive: { nope: 1 } })).toThrow('s.json: layer "nope" is not in the model.');
    expect(check({ ...base, alive: { a: 9 } })).toThrow(
      's.json: layer "a" has 4 output channels, the structure keeps 9.',
    );
    expect(check({ ...base, alive: { add: 2 } })).toThrow(/"add" \(Add\) does not own channels/);
    expect(check({ ...base, alive: { a: 2 }, masks: { a: [0, 7] } })).toThrow(/its mask names channel 7/);
    expect(check({ ...base, alive: { a: 2 }, masks: { a: [0] } })).toThrow(
      /keeps 2 channels under "alive" but 1 under "masks"/,
    );
    expect(check({ ...base, alive: { a: 2, b: 2 }, masks: { a: [0, 1], b: [1, 2] } })).toThrow(
      /disagree on a channel they share/,
    );
    expect(check({ ...base, alive: { fc: 1 } })).toThrow(/output channels and cannot be pruned/);
    expect(() => parseStructure({ version: 2, target: 'flops', alive: {} }, 's.json')).toThrow(
      /^s\.json: not a morphnet structure file \("version"/,
    );
    expect(() => parseStructure({ version: 1, target: 'speed', alive: {} }, 's.json')).toThrow(/"target"/);
    expect(() => parseStructure({ version: 1, target: 'flops', alive: { a: -1 } }, 's.json')).toThrow(
      /"alive.a"/,
    );
  });

  it('keeps the strongest channel of a group that is entirely dead, and warns', async () => {
    const { m, graph, groups } = setup();
    const layer = m.getLayer('stem_bn');
    const ws = layer.getWeights().map((t) => t.dataSync().slice() as Float32Array);
    ws[0].set([0.001, -0.008, 0.004, 0]);
    layer.setWeights(ws.map((v, i) => tf.tensor(v, layer.weights[i].shape as number[])));
    const d = decideAlive(groups, readWeights(m));
    const stemClasses = groups.tensorClasses.get('stem:0')!;
    expect(Array.from(stemClasses, (c) => d.alive[c])).toEqual([0, 1, 0, 0]);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]).toMatch(
      /every channel of group \d+ \(stem, stem_bn.*kept its strongest channel \(1/,
    );
    const r = await pruneModel(m);
    expect(weightShape(r.model, 'stem', 'kernel')).toEqual([1, 1, 2, 1]);
    expect(r.warnings.some((w) => /kept its strongest channel/.test(w))).toBe(true);
    // the same rule when a structure removes a whole group
    const s = parseStructure({ version: 1, target: 'flops', alive: { stem: 0 } });
    const fromS = aliveFromStructure(s, graph, groups, { values: d.values });
    expect(Array.from(stemClasses, (c) => fromS.alive[c])).toEqual([0, 1, 0, 0]);
    expect(fromS.warnings[0]).toMatch(/removed by the structure/);
  });

  it('decides by group lasso (kernel RMS) when asked, and keeps γ-less groups whole under gamma', () => {
    const x = tf.input({ shape: [4, 4, 2], name: 'x' });
    const c = apply(tf.layers.conv2d({ name: 'c', filters: 3, kernelSize: 1, activation: 'relu' }), x);
    const y = apply(tf.layers.dense({ name: 'fc', units: 2 }), apply(tf.layers.flatten({ name: 'f' }), c));
    const m = tf.model({ inputs: x, outputs: y });
    const k = m.getLayer('c').getWeights();
    const kv = k[0].dataSync().slice() as Float32Array;
    for (let i = 0; i < 2; i++) kv[i * 3 + 1] = 0.001; // output channel 1: RMS 0.001
    m.getLayer('c').setWeights([tf.tensor(kv, [1, 1, 2, 3]), k[1]]);
    const graph = graphFromModel(m);
    const groups = analyzeGroups(graph);
    const cls = groups.tensorClasses.get('c:0')!;
    const lasso = decideAlive(groups, readWeights(m), { regularizer: 'group-lasso' });
    expect(Array.from(cls, (i) => lasso.alive[i])).toEqual([1, 0, 1]);
    const gamma = decideAlive(groups, readWeights(m));
    expect(Array.from(cls, (i) => gamma.alive[i])).toEqual([1, 1, 1]);
    expect(gamma.warnings[0]).toMatch(/no BatchNorm γ .* kept whole \(c\)/);
  });
});
