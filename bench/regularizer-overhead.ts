/**
 * Step time with the MorphNet regularizer (extra gradient set on every γ) vs a plain step: same model,
 * batch and engine, side by side (target ≤ 1.02×). Also the trainer's per-control-update cost (reading
 * the γ back, recomputing alive counts and coefficients). Writes bench/results/regularizer-overhead.json.
 * Run: npx tsx bench/regularizer-overhead.ts [zoo-name] [engine]
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { createEngine } from '../src/engine/index.js';
import { graphFromModel } from '../src/graph/index.js';
import { createRegularizer, readWeights } from '../src/regularizers/index.js';
import { buildZooModel } from '../src/zoo/index.js';

tf.env().set('PROD', true);
await tf.setBackend('cpu');
const name = process.argv[2] ?? 'mnist-cnn';
const engineKind = (process.argv[3] ?? 'onnx') as 'onnx' | 'tfjs';
const batch = 64;
const steps = 30;
const model = buildZooModel(name, { seed: 1 });
const [h, w, c] = model.inputs[0].shape.slice(1) as number[];
const classes = model.outputs[0].shape[1] as number;
const xs = tf.randomUniform([batch, h, w, c]);
const ys = tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32'), classes).toFloat();
const reg = createRegularizer(graphFromModel(model), 'flops');

async function time(withReg: boolean): Promise<number> {
  const engine = await createEngine(model, { engine: engineKind, learningRate: 0.01 });
  if (withReg) {
    const state = reg.evaluate(await readWeights(model, reg.weightNames));
    engine.setExtraGradient(reg.engineCoefficients(state, 1e-7));
  }
  for (let i = 0; i < 3; i++) await engine.step(xs, ys);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await engine.step(xs, ys);
  const ms = (performance.now() - t0) / steps;
  engine.dispose();
  return ms;
}

const rounds = [];
for (let r = 0; r < 3; r++) rounds.push({ plain: await time(false), regularized: await time(true) });
const plain = Math.min(...rounds.map((r) => r.plain));
const regularized = Math.min(...rounds.map((r) => r.regularized));
const weights = await readWeights(model, reg.weightNames);
const t0 = performance.now();
for (let i = 0; i < 20; i++) reg.engineCoefficients(reg.evaluate(weights), 1e-7);
const controlMs = (performance.now() - t0) / 20;
const result = {
  model: name,
  engine: engineKind,
  batch,
  stepsTimed: steps,
  plainStepMs: plain,
  regularizedStepMs: regularized,
  ratio: regularized / plain,
  controlUpdateMs: controlMs,
  note: 'min over 3 alternating rounds; the trainer runs one control update every 10 steps',
  date: new Date().toISOString(),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  `bench/results/regularizer-overhead-${name}-${engineKind}.json`,
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(result);
