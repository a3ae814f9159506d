/**
 * The main job (`morphnet run`): train the seed; for each cycle, shrink it with MorphNet's regularizer to
 * the shrink budget, prune the dead channels, expand the survivors uniformly back to the budget and
 * retrain from scratch; train the uniform width-multiplier baseline at the same budget with the same
 * recipe; evaluate all on the test split; write `summary.json` and `report.html`. Every phase lives in
 * its own folder and writes `result.json` last, so an interrupted run resumes where it stopped (the
 * trainer's checkpoints resume within a phase) and never redoes or overwrites finished work.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { humanCount } from '../analyze/index.js';
import { splitValidation } from '../data/index.js';
import type { Split } from '../data/types.js';
import { MorphnetError } from '../errors.js';
import { writeJsonAtomic } from '../io/atomic.js';
import { loadModel, saveModel } from '../io/index.js';
import { writeReport } from '../report/index.js';
import type { ModelFigures, Summary, Widths } from '../report/types.js';
import { expandModel, pruneModel, uniformModel } from '../structure/index.js';
import { trainMorphNet } from '../train/index.js';
import { writeHistory, writeStructure } from '../train/outputs.js';
import { writeOnnx } from '../export/onnx.js';
import { addMeasuredLatency, modelFigures, modelWidths, testAccuracy } from './figures.js';
import { reinitialize } from './reinitialize.js';
import type { RunOptions, RunResult } from './types.js';

/** A finished phase's record (`result.json`). */
interface PhaseResult extends ModelFigures {
  widths: Widths;
  steps?: number;
  engine?: string;
  warnings?: string[];
  [extra: string]: unknown;
}

class RunInterrupted extends Error {}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

/** Runs the whole cycle (resuming a run folder that holds an unfinished run). */
export async function runMorphNet(seedModel: tf.LayersModel, options: RunOptions): Promise<RunResult> {
  const out = options.out;
  const seed = options.seed ?? 1;
  const engine = options.engine ?? 'auto';
  const cycles = options.cycles ?? 1;
  const retrainEpochs = options.retrainEpochs ?? 2;
  const shrinkEpochs = options.shrinkEpochs ?? 1;
  const lr = options.learningRate ?? 0.05;
  const shrinkLr = options.shrinkLearningRate ?? 0.02;
  const { target, hardware } = options;
  const { train, validation } = splitValidation(options.data.train, options.validationFraction ?? 0.1, seed);
  const test: Split = options.data.test;

  const seedCost = modelFigures(seedModel, target, hardware).cost;
  const budget = options.budget ?? seedCost;
  const shrinkBudget = options.shrinkBudget ?? 0.5 * seedCost;
  if (!(shrinkBudget > 0 && shrinkBudget < seedCost)) {
    throw new MorphnetError(
      `the shrink budget ${humanCount(shrinkBudget)} must be above 0 and below the seed's ${target} cost ${humanCount(seedCost)}.`,
    );
  }

  let phasesDone = 0;
  const notice = options.onNotice ?? (() => {});

  /** Loads a finished phase, or runs it: `make` builds the phase's model, writes its files, returns its figures. */
  async function phase(
    name: string,
    make: (dir: string) => Promise<{
      model: tf.LayersModel;
      record: Omit<PhaseResult, 'flops' | 'params' | 'cost' | 'accuracy' | 'widths'>;
      accuracy?: number;
    }>,
  ): Promise<{ model: tf.LayersModel; result: PhaseResult }> {
    const dir = path.join(out, name);
    const resultFile = path.join(dir, 'result.json');
    if (await exists(resultFile)) {
      options.onPhase?.({ phase: name, state: 'skip' });
      const result = JSON.parse(await fs.readFile(resultFile, 'utf8')) as PhaseResult;
      return { model: await loadModel(path.join(dir, 'model.json')), result };
    }
    if (options.stopAfterPhases !== undefined && phasesDone >= options.stopAfterPhases)
      throw new RunInterrupted();
    options.onPhase?.({ phase: name, state: 'start' });
    await fs.mkdir(dir, { recursive: true });
    const { model, record, accuracy } = await make(dir);
    await saveModel(model, dir);
    if (options.onnx) await writeOnnx(model, path.join(dir, 'model.onnx'));
    const result: PhaseResult = {
      ...modelFigures(model, target, hardware),
      accuracy: accuracy ?? (await testAccuracy(model, test, engine)),
      widths: modelWidths(model),
      ...record,
    };
    await writeJsonAtomic(resultFile, result);
    phasesDone++;
    options.onPhase?.({
      phase: name,
      state: 'done',
      detail: `test accuracy ${(100 * result.accuracy).toFixed(2)}%`,
    });
    return { model, result };
  }

  /** A model's architecture with seeded fresh weights, saved once under `dir/initial` so a resume reuses it. */
  async function initial(dir: string, build: () => Promise<tf.LayersModel>): Promise<tf.LayersModel> {
    const file = path.join(dir, 'initial', 'model.json');
    if (await exists(file)) return loadModel(file);
    const model = await build();
    reinitialize(model, seed);
    await saveModel(model, path.join(dir, 'initial'));
    return model;
  }

  /** Plain training (λ = 0) of a model for the retrain epochs, checkpointed in `dir`. */
  async function retrain(name: string, model: tf.LayersModel, dir: string) {
    const r = await trainMorphNet(model, {
      data: { train, validation, test },
      target,
      hardware,
      strength: 0,
      epochs: retrainEpochs,
      batchSize: options.batchSize,
      learningRate: lr,
      engine,
      seed,
      checkpointDir: dir,
      onProgress: (p) => options.onProgress?.(name, p),
      onNotice: notice,
    });
    await writeHistory(dir, r.history);
    return { record: { steps: r.steps, engine: r.engine, warnings: r.warnings }, accuracy: r.testAccuracy };
  }

  const copyOf = async (m: tf.LayersModel) => {
    const c = await tf.models.modelFromJSON(
      m.toJSON(undefined, false) as tf.io.ModelJSON['modelTopology'] as never,
    );
    c.setWeights(m.getWeights());
    return c;
  };

  try {
    const seedPhase = await phase('seed', async (dir) => {
      const model = await initial(dir, () => copyOf(seedModel));
      return { model, ...(await retrain('seed', model, dir)) };
    });

    const uniformPhase = await phase('uniform', async (dir) => {
      const model = await initial(dir, async () => {
        const r = await uniformModel(seedModel, { target, budget, hardware, roundTo: options.roundTo });
        r.warnings.forEach((w) => notice(w));
        await writeJsonAtomic(path.join(dir, 'structure.json'), r.structure);
        return r.model;
      });
      return { model, ...(await retrain('uniform', model, dir)) };
    });

    let base = seedPhase;
    const cyclePhases: Summary['cycles'] = [];
    const cycleWidths: { shrunk?: Widths; expanded?: Widths }[] = [];
    const cycleModels: tf.LayersModel[] = [];
    for (let k = 1; k <= cycles; k++) {
      const shrink = await phase(`cycle-${k}/shrink`, async (dir) => {
        const model = await copyOf(base.model);
        const r = await trainMorphNet(model, {
          data: { train, validation, test },
          target,
          hardware,
          budget: shrinkBudget,
          epochs: shrinkEpochs,
          batchSize: options.batchSize,
          learningRate: shrinkLr,
          engine,
          seed: seed + k,
          checkpointDir: dir,
          onProgress: (p) => options.onProgress?.(`cycle-${k}/shrink`, p),
          onNotice: notice,
        });
        await writeHistory(dir, r.history);
        await writeStructure(dir, r.regularizer, r.alive);
        return {
          model,
          record: { steps: r.steps, engine: r.engine, warnings: r.warnings, aliveCost: r.cost, shrinkBudget },
          accuracy: r.testAccuracy,
        };
      });
      const shrunk = await phase(`cycle-${k}/shrunk`, async (dir) => {
        const pruned = await pruneModel(shrink.model, { target, hardware, measure: 'never' });
        await writeJsonAtomic(path.join(dir, 'structure.json'), pruned.structure);
        pruned.warnings.forEach((w) => notice(w));
        return { model: pruned.model, record: { warnings: pruned.warnings } };
      });
      const expanded = await phase(`cycle-${k}/expanded`, async (dir) => {
        const model = await initial(dir, async () => {
          const r = await expandModel(shrunk.model, { target, budget, hardware, roundTo: options.roundTo });
          r.warnings.forEach((w) => notice(w));
          await writeJsonAtomic(path.join(dir, 'structure.json'), r.structure);
          return r.model;
        });
        return { model, ...(await retrain(`cycle-${k}/expanded`, model, dir)) };
      });
      cyclePhases.push({ shrunk: shrunk.result, expanded: expanded.result });
      cycleModels.push(shrunk.model, expanded.model);
      cycleWidths.push({ shrunk: shrunk.result.widths, expanded: expanded.result.widths });
      base = expanded;
    }

    const strip = ({ widths: _w, ...figures }: PhaseResult): ModelFigures => figures;
    const summary: Summary = {
      seed: strip(seedPhase.result),
      uniform: strip(uniformPhase.result),
      cycles: cyclePhases.map((c) => ({
        shrunk: strip(c.shrunk as PhaseResult),
        expanded: strip(c.expanded as PhaseResult),
      })),
      target,
      budget,
      shrinkBudget,
      widths: { seed: seedPhase.result.widths, uniform: uniformPhase.result.widths, cycles: cycleWidths },
      phases: [
        'seed',
        'uniform',
        ...cyclePhases.flatMap((_, i) => [
          `cycle-${i + 1}/shrink`,
          `cycle-${i + 1}/shrunk`,
          `cycle-${i + 1}/expanded`,
        ]),
      ],
      model: options.modelLabel,
      data: options.data.name,
      ...(hardware ? { hardware } : {}),
      seedNumber: seed,
    };
    const networks = [
      summary.seed,
      summary.uniform,
      ...summary.cycles.flatMap((c) => [c.shrunk, c.expanded]),
    ];
    const models = [seedPhase.model, uniformPhase.model, ...cycleModels];
    await addMeasuredLatency(
      networks.map((f, i) => [f, models[i]]),
      hardware,
    );
    await writeJsonAtomic(path.join(out, 'summary.json'), summary);
    const reportPath = await writeReport(out);
    return { summary, finished: true, reportPath };
  } catch (err) {
    if (err instanceof RunInterrupted) {
      return { summary: undefined as unknown as Summary, finished: false };
    }
    throw err;
  }
}
