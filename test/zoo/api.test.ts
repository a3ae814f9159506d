/** The zoo API: names, errors, BN settings, seeds, and `toJSON` round trips. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildZooModel, zooDefaults, zooNames } from '../../src/zoo/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SMALL = [
  'tiny',
  'mnist-cnn',
  'net-a',
  'net-b',
  'spread-net',
  'inception-net',
  'resnet20',
  'mobilenet-v2',
];

describe('names and options', () => {
  it('lists every architecture of the brief', () => {
    const names = zooNames();
    for (const n of ['mnist-cnn', 'net-a', 'net-b', 'resnet20', 'resnet56', 'vgg11', 'vgg16']) {
      expect(names).toContain(n);
    }
    for (const n of ['mobilenet-v1', 'mobilenet-v2', 'resnet50', 'inception-net', 'spread-net', 'tiny']) {
      expect(names).toContain(n);
    }
    for (const n of ['vgg16', 'vgg11', 'mobilenet-v1', 'mobilenet-v2', 'resnet50']) {
      expect(names).toContain(`${n}-imagenet`);
      expect(zooDefaults(`${n}-imagenet`)).toEqual({ inputShape: [224, 224, 3], classes: 1000 });
    }
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => buildZooModel('resnet18')).toThrow(
      /^unknown zoo model "resnet18"; known: tiny, mnist-cnn, /,
    );
    expect(() => buildZooModel('toString')).toThrow(/unknown zoo model "toString"/);
  });

  it('rejects bad options with a readable message', () => {
    expect(() => buildZooModel('tiny', { classes: 0 })).toThrow(/classes must be a positive integer/);
    expect(() => buildZooModel('tiny', { inputShape: [8, 8, 0] })).toThrow(/inputShape/);
  });

  it('honours inputShape and classes', () => {
    const m = buildZooModel('net-a', { inputShape: [16, 20, 1], classes: 7 });
    expect(m.inputs[0].shape).toEqual([null, 16, 20, 1]);
    expect(m.outputs[0].shape).toEqual([null, 7]);
    m.dispose();
  });

  it('small nets use BN momentum 0.9 with scale on; weights are keyed by layer name', () => {
    const m = buildZooModel('resnet20');
    const bns = m.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(bns.length).toBe(21);
    for (const bn of bns) {
      expect(bn.getConfig().momentum).toBe(0.9);
      expect(bn.getConfig().scale).toBe(true);
    }
    const names = m.weights.map((w) => w.originalName);
    expect(names).toContain('stem/kernel');
    expect(names).toContain('stem_bn/gamma');
    expect(names).toContain('s2b1_proj/kernel');
    expect(names).not.toContain('stem/bias');
    m.dispose();
  });
});

describe('layer names', () => {
  const names = zooNames().filter((n) => !/^(vgg|resnet50)/.test(n) || n === 'vgg11');
  for (const name of names) {
    it(`${name}: every layer has an explicit, unique name`, () => {
      const m = buildZooModel(name);
      const layerNames = m.layers.map((l) => l.name);
      expect(new Set(layerNames).size).toBe(layerNames.length);
      expect(layerNames[0]).toBe('input');
      for (const l of m.layers) {
        // tfjs auto-names look like `conv2d_Conv2D3`.
        expect(l.name).not.toMatch(new RegExp(`_${l.getClassName()}\\d+$`));
        expect(l.name).toMatch(/^[A-Za-z0-9_]+$/);
      }
      m.dispose();
    });
  }
});

describe('seeds', () => {
  async function weights(name: string, seed?: number): Promise<Float32Array[]> {
    const m = buildZooModel(name, { seed });
    const values = await Promise.all(m.getWeights().map((w) => w.data() as Promise<Float32Array>));
    m.dispose();
    return values;
  }

  /** Bitwise equality of two float arrays (vitest's deep equality is slow on large arrays). */
  function same(a: Float32Array, b: Float32Array): boolean {
    return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  }

  for (const name of ['inception-net', 'mobilenet-v1']) {
    it(`${name}: same seed → same weights, other seed → other kernels`, async () => {
      const a = await weights(name, 42);
      const b = await weights(name, 42);
      const c = await weights(name, 43);
      expect(a.length).toBe(b.length);
      expect(a.every((w, i) => same(w, b[i]))).toBe(true);
      // Kernels differ with another seed (BN weights are constant initialisations and stay equal).
      const differing = a.filter((w, i) => !same(w, c[i]));
      const m = buildZooModel(name);
      const kernels = m.layers.filter((l) => /Conv2D|Dense/.test(l.getClassName())).length;
      m.dispose();
      expect(differing.length).toBe(kernels);
    });
  }

  it('different layers get different random kernels under one seed', async () => {
    const w = await weights('net-a', 5);
    const m = buildZooModel('net-a');
    const names = m.weights.map((v) => v.originalName);
    m.dispose();
    const k2 = w[names.indexOf('conv2/kernel')];
    const k3 = w[names.indexOf('conv3/kernel')];
    expect(k2.length).toBe(k3.length);
    expect(same(k2, k3)).toBe(false);
  });
});

describe('toJSON round trip', () => {
  for (const name of [...SMALL, 'mobilenet-v1-imagenet']) {
    it(`${name}: modelFromJSON keeps layer names, classes and the parameter count`, async () => {
      const m = buildZooModel(name);
      const json = m.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
      const back = await tf.models.modelFromJSON(json as never);
      expect(back.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
      expect(back.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.getClassName()));
      expect(back.countParams()).toBe(m.countParams());
      expect(back.outputs[0].shape).toEqual(m.outputs[0].shape);
      m.dispose();
      back.dispose();
    });
  }
});
