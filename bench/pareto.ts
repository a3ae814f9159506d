/**
 * The evidence for the main job (issue "full cycle", item 4): MorphNet vs the uniform width multiplier at
 * equal FLOPs on Fashion-MNIST, for two seed nets, at 25%, 50% and 100% of the seed's FLOPs, over several
 * seeds; a second shrink/expand cycle at 100%; and where a FLOPs target vs a size target removes channels.
 * Writes bench/results/pareto.json (the report's Pareto format plus the raw runs) and a report.html of one
 * run with the Pareto charts. Runs live under bench/.pareto-runs/ and resume when the script is re-run.
 *
 *   npx tsx bench/pareto.ts [--seeds 3] [--train 20000] [--epochs 2] [--shrink-epochs 2]
 *
 * Seed nets: `mnist-cnn` (widths growing with depth, 16/32/64) and a narrowed `spread-net` (the zoo's net
 * with badly spread widths, a wide full-resolution stage and a wide 3×3 stage, uniformly scaled to a
 * quarter of its FLOPs so that three seeds fit in the session: the spread is kept, only ω changes).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { modelCost } from '../src/cost/index.js';
import { loadDataset } from '../src/data/index.js';
import { graphFromModel } from '../src/graph/index.js';
import { analyzeGroups } from '../src/groups/index.js';
import { writeReport } from '../src/report/index.js';
import type { ParetoEntry, ParetoResults, Summary } from '../src/report/types.js';
import { modelFigures, reinitialize, runMorphNet } from '../src/run/index.js';
import { uniformModel } from '../src/structure/index.js';
import { trainMorphNet } from '../src/train/index.js';
import { splitValidation } from '../src/data/index.js';
import { buildZooModel } from '../src/zoo/index.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    train: { type: 'string', default: '20000' },
    epochs: { type: 'string', default: '2' },
    'shrink-epochs': { type: 'string', default: '2' },
    nets: { type: 'string', default: 'mnist-cnn,spread-net-quarter' },
    // Use only finished runs (no training): report what is there.
    collect: { type: 'boolean', default: false },
    'skip-placement': { type: 'boolean', default: false },
  },
});
const SEEDS = Array.from({ length: Number(args.seeds) }, (_, i) => i + 1);
const BUDGETS = [0.25, 0.5, 1];
const ROOT = process.env['PARETO_ROOT'] ?? path.join(import.meta.dirname, '.pareto-runs');
const RESULTS = process.env['PARETO_RESULTS'] ?? path.join(import.meta.dirname, 'results', 'pareto.json');

async function seedNet(name: string, seed: number): Promise<tf.LayersModel> {
  if (name === 'spread-net-quarter') {
    const full = buildZooModel('spread-net', { seed });
    const fullFlops = modelFigures(full, 'flops').flops;
    const narrowed = (await uniformModel(full, { target: 'flops', budget: fullFlops / 4 })).model;
    reinitialize(narrowed, seed);
    return narrowed;
  }
  return buildZooModel(name, { seed });
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) =>
  v.length < 2 ? 0 : Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));

async function main() {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const data = await loadDataset('fashion-mnist', { limit: Number(args.train) });
  const nets = args.nets!.split(',');
  const runs: { net: string; seed: number; budget: number; summary: Summary; seconds: number }[] = [];
  for (const net of nets) {
    for (const seed of SEEDS) {
      for (const budget of BUDGETS) {
        const out = path.join(ROOT, net, `seed-${seed}`, `budget-${budget * 100}`);
        const summaryFile = path.join(out, 'summary.json');
        const t0 = Date.now();
        if (!existsSync(summaryFile) && args.collect) continue;
        if (!existsSync(summaryFile)) {
          // Every budget of a (net, seed) shares the trained seed: copy its finished phase in, the run skips it.
          const sharedSeed = path.join(ROOT, net, `seed-${seed}`, 'budget-25', 'seed');
          if (
            budget !== 0.25 &&
            existsSync(path.join(sharedSeed, 'result.json')) &&
            !existsSync(path.join(out, 'seed'))
          ) {
            mkdirSync(out, { recursive: true });
            cpSync(sharedSeed, path.join(out, 'seed'), { recursive: true });
          }
          const model = await seedNet(net, seed);
          const seedFlops = modelFigures(model, 'flops').flops;
          process.stderr.write(
            `${net} seed ${seed} budget ${budget * 100}%: ${(seedFlops / 1e6).toFixed(2)}M FLOPs seed\n`,
          );
          await runMorphNet(model, {
            data,
            out,
            target: 'flops',
            budget: budget * seedFlops,
            shrinkBudget: (budget * seedFlops) / 2,
            cycles: budget === 1 ? 2 : 1,
            retrainEpochs: Number(args.epochs),
            shrinkEpochs: Number(args['shrink-epochs']),
            seed,
            modelLabel: net,
            onPhase: (e) =>
              e.state !== 'start' && process.stderr.write(`  ${e.phase}: ${e.state} ${e.detail ?? ''}\n`),
          });
        }
        const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
        runs.push({ net, seed, budget, summary, seconds: (Date.now() - t0) / 1000 });
      }
    }
  }

  const entries: ParetoEntry[] = [];
  const cell = (
    net: string,
    method: string,
    budget: number,
    pick: (s: Summary) => { flops: number; accuracy: number } | undefined,
  ) => {
    const picked = runs
      .filter((r) => r.net === net && r.budget === budget)
      .map((r) => pick(r.summary))
      .filter((x) => x !== undefined);
    if (picked.length === 0) return;
    const acc = picked.map((p) => p.accuracy);
    entries.push({
      net,
      method,
      budget,
      cost: mean(picked.map((p) => p.flops)),
      accuracy: { mean: mean(acc), spread: std(acc), values: acc },
    });
  };
  for (const net of nets) {
    cell(net, 'seed', 1, (s) => s.seed);
    for (const b of BUDGETS) {
      cell(net, 'uniform', b, (s) => s.uniform);
      cell(net, 'morphnet', b, (s) => s.cycles[0]?.expanded);
      cell(net, 'morphnet-shrunk', b, (s) => s.cycles[0]?.shrunk);
    }
    cell(net, 'morphnet-cycle2', 1, (s) => s.cycles[1]?.expanded);
  }

  // Where FLOPs and size targets remove channels: shrink the spread net to half of each cost.
  const placement: Record<string, Record<string, { seed: number; alive: number }>> = {};
  const spread = nets.find((n) => n.startsWith('spread')) ?? nets[0];
  const placementFile = path.join(ROOT, `placement-${spread}.json`);
  if (existsSync(placementFile)) Object.assign(placement, JSON.parse(readFileSync(placementFile, 'utf8')));
  for (const target of ['flops', 'size'] as const) {
    if (placement[target] || args.collect || args['skip-placement']) continue;
    const model = await seedNet(spread, 1);
    const graph = graphFromModel(model);
    const initial = modelCost(graph, analyzeGroups(graph), target);
    const { train, validation } = splitValidation(data.train, 0.1, 1);
    const r = await trainMorphNet(model, {
      data: { train, validation },
      target,
      budget: initial / 2,
      epochs: Number(args['shrink-epochs']),
      seed: 1,
    });
    placement[target] = Object.fromEntries(
      Object.entries(r.aliveByLayer).map(([layer, alive]) => {
        const layerInfo = graph.layers.get(layer)!;
        const total = Number(layerInfo.config['filters'] ?? layerInfo.config['units']);
        return [layer, { seed: total, alive }];
      }),
    );
    mkdirSync(ROOT, { recursive: true });
    writeFileSync(placementFile, JSON.stringify(placement, null, 2));
  }

  const results: ParetoResults = {
    dataset: `fashion-mnist (first ${args.train} training images, full 10,000-image test split)`,
    target: 'flops',
    spread: 'sample standard deviation over seeds',
    date: new Date().toISOString(),
    recipe: {
      seeds: SEEDS,
      retrainEpochs: Number(args.epochs),
      shrinkEpochs: Number(args['shrink-epochs']),
      shrinkBudget: 'half of each budget',
      optimizer: 'SGD momentum 0.9, lr 0.05 (retrain) / 0.02 (shrink), batch 64',
    },
    entries,
    placement: { net: spread, budget: 'half of the seed cost', byTarget: placement },
    runs: runs.map((r) => ({
      net: r.net,
      seed: r.seed,
      budget: r.budget,
      seconds: r.seconds,
      seed_: r.summary.seed,
      uniform: r.summary.uniform,
      cycles: r.summary.cycles,
    })),
  };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const showcase = path.join(ROOT, nets[0], 'seed-1', 'budget-100');
  await writeReport(showcase, { pareto: results });
  process.stdout.write(
    `${JSON.stringify(
      entries.map(
        (e) =>
          `${e.net} ${e.method} ${e.budget}: ${(100 * e.accuracy.mean).toFixed(2)} ± ${(100 * e.accuracy.spread).toFixed(2)}%`,
      ),
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`report with Pareto charts: ${path.join(showcase, 'report.html')}\n`);
}

await main();
