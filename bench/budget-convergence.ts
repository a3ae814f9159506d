/**
 * Cost vs steps for FLOPs budgets of 75/50/25% on MNIST and Fashion-MNIST (zoo `mnist-cnn`, one epoch,
 * batch 64, lr 0.05, onnx engine): the alive cost of every history row, whether the budget was met
 * (≤ 1.05×) and the test accuracy. Writes bench/results/budget-convergence.json after every run.
 * Run: npx tsx bench/budget-convergence.ts [datasets comma-separated] [budgets comma-separated]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { loadDataset, splitValidation } from '../src/data/index.js';
import { graphFromModel } from '../src/graph/index.js';
import { createRegularizer } from '../src/regularizers/index.js';
import { trainMorphNet } from '../src/train/index.js';
import { buildZooModel } from '../src/zoo/index.js';

tf.env().set('PROD', true);
await tf.setBackend('cpu');
const datasets = (process.argv[2] ?? 'mnist,fashion-mnist').split(',');
const budgets = (process.argv[3] ?? '0.75,0.5,0.25').split(',').map(Number);
const out = 'bench/results/budget-convergence.json';
const runs: unknown[] = [];
for (const name of datasets) {
  const ds = await loadDataset(name);
  const { train, validation } = splitValidation(ds.train, 1 / 12, 1);
  for (const fraction of budgets) {
    const model = buildZooModel('mnist-cnn', { seed: 1 });
    const c0 = createRegularizer(graphFromModel(model), 'flops').initialCost;
    const t0 = performance.now();
    const r = await trainMorphNet(model, {
      data: { train, validation, test: ds.test },
      target: 'flops',
      budget: fraction * c0,
      epochs: 1,
      batchSize: 64,
      learningRate: 0.05,
      engine: 'onnx',
      seed: 1,
      onNotice: () => {},
    });
    const seconds = (performance.now() - t0) / 1000;
    runs.push({
      dataset: name,
      budgetFraction: fraction,
      initialCost: c0,
      finalCostFraction: r.cost / c0,
      budgetMet: r.cost <= 1.05 * fraction * c0,
      testAccuracy: r.testAccuracy,
      validationAccuracy: r.validationAccuracy,
      alive: r.aliveByLayer,
      engine: r.engine,
      steps: r.steps,
      seconds,
      curve: r.history.steps.map((s) => ({ step: s.step, costFraction: s.cost / c0, lambda: s.lambda })),
    });
    console.log(name, fraction, (r.cost / c0).toFixed(3), r.testAccuracy, `${seconds.toFixed(0)} s`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), machine: '2 cores, shared', runs }, null, 2)}\n`,
    );
  }
}
