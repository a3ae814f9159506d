/**
 * Measured latency, before and after pruning, on the runtimes a JavaScript user deploys to. For mnist-cnn,
 * resnet20 and mobilenet-v2 (32×32 and 96×96): the seed; pruned to 50% of its FLOPs; pruned to 50% of its
 * onnx-cpu latency (by the measured profile); and pruned by FLOPs to the FLOPs of that latency-pruned net
 * (same FLOPs, other target). Each net's end-to-end latency at batch 1 is measured on onnx-cpu and on
 * tfjs-wasm, the four nets of a model side by side (interleaved calls), beside their FLOP ratios; and the
 * profiles' per-layer sums beside the measurements (how well the per-op model predicts a whole net).
 *
 * Pruning is by structure, without training: every channel gets a seeded random importance (its |γ|), the
 * same for both targets, and the channels with the smallest importance per unit of cost (the derivative of
 * the target's cost, recomputed as channels go) are removed until the budget is met — the rule MorphNet's
 * shrink follows for channels of equal usefulness, and `run --pretrained`'s fallback.
 *
 * Writes bench/results/latency.json. Run: npx tsx bench/latency.ts [runs per net, default 40]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { modelCost, type Target } from '../src/cost/index.js';
import { mulberry32 } from '../src/data/random.js';
import { graphFromModel } from '../src/graph/index.js';
import { analyzeGroups } from '../src/groups/index.js';
import { measuredHardware, measureSideBySide, type LatencyStats } from '../src/latency/index.js';
import { createRegularizer, readWeights } from '../src/regularizers/index.js';
import { pruneModel } from '../src/structure/index.js';
import { buildZooModel } from '../src/zoo/index.js';

tf.env().set('PROD', true);
await tf.setBackend('cpu');
const runs = Number(process.argv[2] ?? 40);
const log = (line: string) => process.stderr.write(`${line}\n`);
const RUNTIMES = ['onnx-cpu', 'tfjs-wasm'] as const;
type Runtime = (typeof RUNTIMES)[number];

/** One net on one runtime: measured (ns), predicted by the profile, and both relative to the seed. */
interface RuntimeFigures {
  medianNs: number;
  p25Ns: number;
  p75Ns: number;
  minNs: number;
  predictedNs: number;
  predictedOverMedian: number;
  predictedOverMin: number;
  /** Median of the net / median of the seed (side by side). */
  measuredRatio: number;
  /** Fastest call of the net / fastest of the seed: the steadier figure on a loaded machine. */
  minRatio: number;
  predictedRatio: number;
}

/** One net of a model: its FLOPs (and ratio to the seed's), params, and figures per runtime. */
interface NetFigures {
  flops: number;
  flopRatio: number;
  params: number;
  runtimes: Record<Runtime, RuntimeFigures>;
}

const MODELS: { name: string; inputShape?: [number, number, number] }[] = [
  { name: 'mnist-cnn' },
  { name: 'resnet20' },
  { name: 'mobilenet-v2', inputShape: [32, 32, 3] },
  { name: 'mobilenet-v2', inputShape: [96, 96, 3] },
];

function costOf(model: tf.LayersModel, target: Target | 'flops', hardware?: string): number {
  const graph = graphFromModel(model);
  return modelCost(graph, analyzeGroups(graph), target, { hardware });
}

/**
 * Removes the channels of least importance per unit of cost until the target's cost is ≤ budget: the
 * importance is |γ| (seeded random), the cost per channel the regularizer's class weight.
 */
async function pruneTo(model: tf.LayersModel, target: Target, budget: number, seed: number) {
  const graph = graphFromModel(model);
  const reg = createRegularizer(graph, target, { hardware: target === 'latency' ? 'onnx-cpu' : undefined });
  const weights = await readWeights(model, reg.weightNames);
  const r = mulberry32(seed);
  for (const s of reg.sources) {
    const w = weights.get(s.weight)!;
    w.values = Float32Array.from(w.values, () => 0.2 + 0.8 * r());
  }
  let state = reg.evaluate(weights);
  while (state.cost > budget) {
    const candidates: { c: number; score: number }[] = [];
    for (let c = 0; c < state.alive.length; c++) {
      if (state.alive[c] && state.classValues[c] > 0 && state.classWeights[c] > 0)
        candidates.push({ c, score: state.classValues[c] / state.classWeights[c] });
    }
    if (candidates.length === 0) break;
    candidates.sort((a, b) => a.score - b.score);
    const dead = new Set(
      candidates.slice(0, Math.max(1, Math.ceil(candidates.length * 0.01))).map((x) => x.c),
    );
    for (const s of reg.sources) {
      const w = weights.get(s.weight)!;
      s.ids.forEach((c, i) => {
        if (dead.has(c)) w.values[i] = 0;
      });
    }
    state = reg.evaluate(weights);
  }
  return (await pruneModel(model, { alive: state.alive, measure: 'never' })).model;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const stats = (s: LatencyStats) => ({
  medianNs: Math.round(s.median),
  p25Ns: Math.round(s.p25),
  p75Ns: Math.round(s.p75),
  minNs: Math.round(s.min),
});

// One runtime at a time: two measurements at once would time each other.
const profiles = {} as Record<Runtime, Awaited<ReturnType<typeof measuredHardware>>>;
for (const runtime of RUNTIMES) profiles[runtime] = await measuredHardware(runtime, { onProgress: log });
const results: { model: string; nets: Record<'seed' | 'flops50' | 'lat50' | 'flopsAtLat', NetFigures> }[] =
  [];
const loadBefore = os.loadavg();
for (const { name, inputShape } of MODELS) {
  const label = inputShape ? `${name} ${inputShape[0]}×${inputShape[1]}` : name;
  log(`${label}: pruning`);
  const seed = buildZooModel(name, { seed: 1, inputShape });
  const flops = costOf(seed, 'flops');
  const latency = costOf(seed, 'latency', 'onnx-cpu');
  const flops50 = await pruneTo(seed, 'flops', 0.5 * flops, 7);
  const lat50 = await pruneTo(seed, 'latency', 0.5 * latency, 7);
  const flopsAtLat = await pruneTo(seed, 'flops', costOf(lat50, 'flops'), 7);
  const nets = { seed, flops50, lat50, flopsAtLat };
  const models = Object.values(nets);
  const measured: Record<string, LatencyStats[]> = {};
  for (const runtime of RUNTIMES) {
    log(`${label}: timing 4 nets side by side on ${runtime} (${runs} rounds)`);
    measured[runtime] = await measureSideBySide(models, runtime, { runs });
  }
  const figures = (m: tf.LayersModel, i: number): NetFigures => ({
    flops: costOf(m, 'flops'),
    flopRatio: ratio(costOf(m, 'flops'), flops),
    params: m.countParams(),
    runtimes: Object.fromEntries(
      RUNTIMES.map((runtime) => {
        const predicted = costOf(m, 'latency', runtime);
        const s = measured[runtime][i];
        const figure: RuntimeFigures = {
          ...stats(s),
          predictedNs: Math.round(predicted),
          predictedOverMedian: ratio(predicted, s.median),
          predictedOverMin: ratio(predicted, s.min),
          measuredRatio: ratio(s.median, measured[runtime][0].median),
          minRatio: ratio(s.min, measured[runtime][0].min),
          predictedRatio: ratio(predicted, costOf(seed, 'latency', runtime)),
        };
        return [runtime, figure];
      }),
    ) as Record<Runtime, RuntimeFigures>,
  });
  const entry = {
    model: label,
    nets: Object.fromEntries(Object.keys(nets).map((key, i) => [key, figures(models[i], i)])) as Record<
      keyof typeof nets,
      NetFigures
    >,
  };
  results.push(entry);
  log(JSON.stringify(entry));
  for (const m of models) m.dispose();
}

/** Speed-up / FLOP reduction of a pruned net on a runtime, by medians and by minima (≥ 0.8 is the goal). */
function speedupShare(net: NetFigures, runtime: Runtime, by: 'measuredRatio' | 'minRatio'): number {
  return ratio(1 / net.runtimes[runtime][by], 1 / net.flopRatio);
}
const summary = results.map(({ model, nets: n }) => ({
  model,
  ...Object.fromEntries(
    RUNTIMES.map((runtime) => [
      runtime,
      Object.fromEntries(
        (['measuredRatio', 'minRatio'] as const).map((by) => [
          by === 'measuredRatio' ? 'byMedian' : 'byMin',
          {
            flops50SpeedupShare: speedupShare(n.flops50, runtime, by),
            lat50SpeedupShare: speedupShare(n.lat50, runtime, by),
            latencyVsFlopsAtSameFlops: ratio(
              n.lat50.runtimes[runtime][by],
              n.flopsAtLat.runtimes[runtime][by],
            ),
          },
        ]),
      ),
    ]),
  ),
}));
const out = {
  bench: 'latency',
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.availableParallelism(),
    loadBefore,
    loadAfter: os.loadavg(),
  },
  runsPerNet: runs,
  profiles: Object.fromEntries(
    RUNTIMES.map((r) => [
      r,
      {
        runtime: profiles[r].profile.runtime,
        created: profiles[r].profile.created,
        fit: profiles[r].profile.fit,
        load: profiles[r].profile.load,
      },
    ]),
  ),
  notes: [
    'measuredRatio: median of the net / median of the seed, the nets of a model timed side by side (interleaved); minRatio: the same with each net’s fastest call',
    'speed-up share: (seed time / net time) / (seed FLOPs / net FLOPs), by medians and by minima; the goal is ≥ 0.8',
    'latencyVsFlopsAtSameFlops: measured ratio of the latency-targeted net / that of the FLOPs-targeted net with its FLOPs (< 1: the latency target is faster)',
    'predictedOverMedian, predictedOverMin: the profile’s per-layer sum / the measured median or minimum (the per-op model’s fit to a whole net; profiles are fitted to minima)',
  ],
  summary,
  results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latency.json', `${JSON.stringify(out, null, 2)}\n`);
log(JSON.stringify(summary, null, 2));
