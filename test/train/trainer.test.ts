/**
 * The trainer on the zoo's `tiny` net (8×8×1) with a learnable quadrant task: the budget is met, the
 * history has the documented format, a resumed run equals the uninterrupted one, and the onnx and tfjs
 * engines end with the same alive counts (within a channel or two).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel } from '../../src/graph/index.js';
import { createRegularizer, readWeights, weightVariables } from '../../src/regularizers/index.js';
import { trainMorphNet, type TrainOptions } from '../../src/train/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { cpuBackend } from '../helpers/tf.js';
import { quadrants } from './helpers.js';

const dirs: string[] = [];
beforeAll(cpuBackend);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'morphnet-train-'));
  dirs.push(d);
  return d;
}

const data = { train: quadrants(1024, 1), validation: quadrants(256, 2) };
const model = () => buildZooModel('tiny', { classes: 4, seed: 3 });

function options(extra: Partial<TrainOptions>): TrainOptions {
  return {
    data,
    target: 'flops',
    steps: 400,
    batchSize: 32,
    learningRate: 0.02,
    engine: 'onnx',
    seed: 5,
    onNotice: () => {},
    ...extra,
  };
}

async function allWeights(m: ReturnType<typeof model>) {
  const names = [...weightVariables(m).keys()];
  const w = await readWeights(m, names);
  return new Map([...w].map(([k, v]) => [k, [...v.values]]));
}

function initialCost(): number {
  return createRegularizer(graphFromModel(model()), 'flops').initialCost;
}

describe('trainMorphNet on the tiny net', () => {
  it('meets a 75% FLOPs budget and logs the history format', async () => {
    const budget = 0.75 * initialCost();
    const r = await trainMorphNet(model(), options({ budget, steps: 600 }));
    expect(r.finished).toBe(true);
    expect(r.cost).toBeLessThanOrEqual(1.05 * budget);
    expect(r.validationAccuracy).toBeGreaterThan(0.8);
    const rows = r.history.steps;
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows[rows.length - 1].step).toBe(600);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(
        ['accuracy', 'alive', 'cost', 'epoch', 'lambda', 'loss', 'regularizer', 'step'].sort(),
      );
      expect(Object.keys(row.alive!)).toEqual(['conv1', 'conv2', 'predictions']);
    }
  });

  it('a resumed run equals the uninterrupted one (same seed; SGD momentum 0.9)', async () => {
    const budget = 0.5 * initialCost();
    const o = options({ budget, steps: 120, checkpointEvery: 20 });
    const whole = tempDir();
    const a = model();
    const ra = await trainMorphNet(a, { ...o, checkpointDir: whole });
    const split = tempDir();
    const part = await trainMorphNet(model(), { ...o, checkpointDir: split, stopAfter: 60 });
    expect(part.finished).toBe(false);
    const ck = JSON.parse(readFileSync(path.join(split, 'checkpoints', 'state.json'), 'utf8'));
    const arrays = ck.optimizer.arrays as { name: string; length: number }[];
    expect(arrays.filter((a) => a.name.endsWith('#velocity')).length).toBeGreaterThan(0);
    const bin = readFileSync(path.join(split, 'checkpoints', ck.optimizer.file));
    expect(bin.length).toBe(4 * arrays.reduce((s, a) => s + a.length, 0));
    const b = model();
    const rb = await trainMorphNet(b, { ...o, checkpointDir: split });
    expect(rb.resumedFrom).toBe(60);
    expect(rb.history).toEqual(ra.history);
    expect(rb.aliveByLayer).toEqual(ra.aliveByLayer);
    const wa = await allWeights(a);
    const wb = await allWeights(b);
    for (const [name, v] of wa) expect(wb.get(name), name).toEqual(v);
    const hist = JSON.parse(readFileSync(path.join(split, 'history.json'), 'utf8'));
    expect(hist.steps.length).toBeGreaterThan(0);
  });

  it('the onnx and tfjs engines end with the same alive counts (within 2 channels)', async () => {
    const o = options({ strength: 2e-5, steps: 150, batchSize: 16 });
    const onnx = await trainMorphNet(model(), { ...o, engine: 'onnx' });
    const tfjs = await trainMorphNet(model(), { ...o, engine: 'tfjs' });
    expect(onnx.engine).toBe('onnx');
    expect(tfjs.engine).toBe('tfjs');
    for (const layer of ['conv1', 'conv2']) {
      expect(Math.abs(onnx.aliveByLayer[layer] - tfjs.aliveByLayer[layer])).toBeLessThanOrEqual(2);
    }
    // Some channels died (the comparison is not trivially all-alive).
    expect(onnx.aliveByLayer['conv1'] + onnx.aliveByLayer['conv2']).toBeLessThan(12);
  });
});
