/**
 * The MorphNet training loop on an engine (DESIGN.md "Training engines"): every `controlEvery` steps it
 * reads the source weights (γ or kernels) back from the engine, recomputes the alive counts, the cost and
 * the per-channel coefficients, adapts λ toward the budget (or keeps a fixed strength) and feeds
 * `λ·coefficients` to the engine as its extra gradient; it logs history rows, checkpoints, and resumes.
 */
import * as tf from '@tensorflow/tfjs';
import { batches, toTensors } from '../data/index.js';
import type { Split } from '../data/types.js';
import { createEngine, type Engine } from '../engine/index.js';
import { MorphnetError } from '../errors.js';
import { graphFromModel } from '../graph/index.js';
import {
  createRegularizer,
  readWeights,
  type NetworkRegularizer,
  type RegularizerState,
  type WeightValues,
} from '../regularizers/index.js';
import { setBnMomentum } from './bn-momentum.js';
import {
  readCheckpoint,
  readOptimizerState,
  restoreWeights,
  saveCheckpoint,
  type RunSettings,
} from './checkpoint.js';
import { initialLambda, LambdaController } from './lambda-control.js';
import { writeHistory } from './outputs.js';
import type { HistoryEntry, TrainOptions, TrainResult } from './types.js';

/** An engine that can hand back single weights without a full sync (the onnx engine). */
interface WeightReader {
  weight(name: string): Float32Array;
}

function hasWeightReader(e: Engine): e is Engine & WeightReader {
  return typeof (e as Partial<WeightReader>).weight === 'function';
}

/** Reads the regularizer's source weights from the engine (directly, or through `syncTo(model)`). */
async function sourceWeights(
  engine: Engine,
  model: tf.LayersModel,
  reg: NetworkRegularizer,
): Promise<WeightValues> {
  if (hasWeightReader(engine)) {
    const out: WeightValues = new Map();
    for (const s of reg.sources) {
      const spec = reg.graph.layers.get(s.layer)!.weights.find((w) => w.name === s.weight)!;
      out.set(s.weight, { values: engine.weight(s.weight), shape: spec.shape });
    }
    return out;
  }
  await engine.syncTo(model);
  return readWeights(model, reg.weightNames);
}

/** Accuracy of the engine on up to `limit` examples of a split (inference mode). */
export async function splitAccuracy(
  engine: Engine,
  split: Split,
  limit: number,
  batchSize = 500,
): Promise<number> {
  const count = Math.min(split.count, limit);
  const part: Split = { ...split, count };
  let hits = 0;
  for (const b of batches(part, batchSize, 0, { shuffle: false })) {
    const { xs, ys } = toTensors(b, split.imageShape, split.classes);
    try {
      hits += (await engine.evaluate(xs, ys)).accuracy * b.size;
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }
  return hits / count;
}

/**
 * Refreshes the BatchNorm moving statistics after training: `steps` training-mode passes at learning
 * rate 0 with a zero extra gradient (weights unchanged). The moving averages otherwise trail weights that
 * changed fast while channels were dying; this is the usual BN recalibration after pruning.
 */
async function recalibrateBn(
  engine: Engine,
  train: Split,
  batchSize: number,
  seed: number,
  steps: number,
  state: RegularizerState,
  reg: NetworkRegularizer,
): Promise<void> {
  const zero = reg.engineCoefficients(state, 0);
  engine.setExtraGradient(zero);
  let n = 0;
  const lr = (engine as unknown as { lr?: number }).lr;
  engine.setLearningRate(0);
  for (const b of batches(train, batchSize, seed)) {
    if (n++ >= steps) break;
    const { xs, ys } = toTensors(b, train.imageShape, train.classes);
    try {
      await engine.step(xs, ys);
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }
  if (lr !== undefined) engine.setLearningRate(lr);
}

/** The largest ∂loss/∂value over the regularized channels. */
function maxCoefficient(state: RegularizerState): number {
  let m = 0;
  for (const coef of state.coefficients.values()) for (const c of coef) if (c > m) m = c;
  return m || 1;
}

/** Mean of the switch values and of the nonzero coefficients over the regularized channels. */
function scales(state: RegularizerState): { value: number; weight: number } {
  let v = 0;
  let w = 0;
  let n = 0;
  for (const [name, coef] of state.coefficients) {
    const vals = state.values.get(name)!;
    coef.forEach((c, i) => {
      if (c > 0) {
        v += vals[i];
        w += c;
        n++;
      }
    });
  }
  return n ? { value: v / n, weight: w / n } : { value: 1, weight: 1 };
}

/**
 * Trains `model` with MorphNet's regularizer for `options.target` toward `options.budget` (or at a fixed
 * `strength`), on an engine from `createEngine`. The model's weights are updated in place at the end
 * (full width, dead channels still in it). Resumes from `checkpointDir/checkpoints/` when a checkpoint of
 * the same run is there.
 */
export async function trainMorphNet(model: tf.LayersModel, options: TrainOptions): Promise<TrainResult> {
  const { train, validation } = options.data;
  const batchSize = options.batchSize ?? 64;
  const perEpoch = Math.ceil(train.count / batchSize);
  const totalSteps = options.steps ?? Math.round((options.epochs ?? 1) * perEpoch);
  const seed = options.seed ?? 1;
  const lr = options.learningRate ?? 0.02;
  const momentum = options.momentum ?? 0.9;
  const controlEvery = options.controlEvery ?? Math.max(1, Math.min(10, Math.round(totalSteps / 50)));
  const logEvery =
    options.logEvery ?? Math.max(controlEvery, Math.round(totalSteps / 20 / controlEvery) * controlEvery);
  const checkpointEvery = options.checkpointEvery ?? logEvery;
  const validationLimit = options.validationLimit ?? 2000;
  const recalibration = options.recalibrationSteps ?? Math.min(50, Math.ceil(totalSteps / 10));
  const notice = options.onNotice ?? ((line: string) => console.warn(line));
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    notice(line);
  };
  if (!(totalSteps > 0))
    throw new MorphnetError(`the run has no steps (${totalSteps}); give --epochs or --steps.`);
  if ((options.budget === undefined) === (options.strength === undefined))
    throw new MorphnetError('give either a budget or a strength (λ), not both or neither.');

  const graph = graphFromModel(model);
  const reg = createRegularizer(graph, options.target, {
    threshold: options.threshold,
    hardware: options.hardware,
    switchKind: options.switchKind,
  });
  if (reg.sources.length === 0) {
    throw new MorphnetError(
      `the model has no ${reg.switchKind === 'gamma' ? 'BatchNorm γ (scale: true)' : 'conv/dense kernel'} on a prunable channel; nothing to regularize.`,
    );
  }
  for (const u of reg.unregularized)
    warn(`morphnet: channels of ${u.layers.slice(0, 3).join(', ')} are not regularized: ${u.reason}.`);
  if (options.budget !== undefined && !(options.budget > 0 && options.budget < reg.initialCost)) {
    throw new MorphnetError(
      `the budget ${options.budget} must be above 0 and below the model's current ${options.target} cost ${reg.initialCost}.`,
    );
  }

  const settings: RunSettings = {
    target: options.target,
    hardware: options.hardware,
    budget: options.budget,
    strength: options.strength,
    threshold: reg.threshold,
    totalSteps,
    batchSize,
    seed,
    lr,
    momentum,
    controlEvery,
    trainCount: train.count,
  };
  let start = 0;
  let resumedLambda: number | undefined;
  let resumedHeld: number[] | undefined;
  let resumedOptimizer: Record<string, Float32Array> | undefined;
  const history: HistoryEntry[] = [];
  const dir = options.checkpointDir;
  if (dir) {
    const ck = await readCheckpoint(dir);
    if (ck) {
      const differs = Object.keys(settings).find((k) => ck.settings[k] !== settings[k]);
      if (differs) {
        throw new MorphnetError(
          `${dir}: holds an unfinished run with ${differs} = ${String(ck.settings[differs])}, not ${String(settings[differs])}; resume with the same options or give another --out.`,
        );
      }
      await restoreWeights(dir, ck, model);
      start = ck.step;
      resumedLambda = ck.lambda;
      resumedHeld = ck.held;
      resumedOptimizer = await readOptimizerState(dir, ck);
      history.push(...ck.history.steps);
    }
  }

  const restoreBn = setBnMomentum(model, options.bnMomentum ?? 0.9);
  const engine = await createEngine(model, {
    engine: options.engine,
    learningRate: lr,
    momentum,
    seed,
    onNotice: notice,
  });
  try {
    if (resumedOptimizer) engine.importOptimizerState(resumedOptimizer);
    let state = reg.evaluate(await sourceWeights(engine, model, reg));
    for (const r of state.revived)
      warn(
        `morphnet: at the threshold ${reg.threshold} every channel of ${r.layers.slice(0, 3).join(', ')} is already dead; it keeps its strongest channel.`,
      );
    const control =
      options.budget !== undefined
        ? new LambdaController({
            initialCost: reg.initialCost,
            budget: options.budget,
            totalSteps,
            // λ may change by a factor e^8 up and e^16 down over the whole run, whatever the update rate.
            maxUp: Math.min(0.25, 8 / (totalSteps / controlEvery)),
            maxDown: Math.min(0.5, 16 / (totalSteps / controlEvery)),
            lambda0: (() => {
              const s = scales(state);
              return initialLambda(s.value, s.weight, lr / (1 - momentum), 0.35 * totalSteps);
            })(),
          })
        : undefined;
    let lambda = resumedLambda ?? control?.lambda ?? options.strength!;
    if (control && resumedLambda !== undefined) control.restore({ lambda: resumedLambda });
    // Hold phase: once the budget is met after `reach`, the structure is kept: the dead channels are
    // still pushed (at the last λ) so they stay dead, the alive ones are no longer shrunk (fine-tuning).
    // A ceiling on λ: the L1 push is a subgradient step, so a dead channel's switch oscillates around 0
    // by about 0.2·lr·c/(1−μ) (measured, c = λ·∂loss/∂value); above the threshold it would never count
    // as dead however large λ grows. λ is kept under cap / max_c ∂loss/∂value, so the costliest channel's
    // oscillation stays near half the threshold; the cost weighting between channels is kept intact.
    const cap = ((options.ceilingFactor ?? 2) * reg.threshold * (1 - momentum)) / lr;
    const holdStructure = options.holdStructure ?? true;
    const reach = 0.7;
    let held: Uint8Array | undefined = resumedHeld ? Uint8Array.from(resumedHeld) : undefined;
    engine.setExtraGradient(reg.engineCoefficients(state, lambda, held));
    let step = start;
    let lossSum = 0;
    let lossCount = 0;
    let accuracy: number | undefined = history[history.length - 1]?.accuracy;
    const stopAt =
      options.stopAfter !== undefined ? Math.min(totalSteps, start + options.stopAfter) : totalSteps;
    while (step < stopAt) {
      const epoch = Math.floor(step / perEpoch);
      let skip = step - epoch * perEpoch;
      for (const b of batches(train, batchSize, seed + epoch)) {
        if (skip-- > 0) continue;
        const { xs, ys } = toTensors(b, train.imageShape, train.classes);
        let loss: number;
        try {
          loss = await engine.step(xs, ys);
        } finally {
          xs.dispose();
          ys.dispose();
        }
        if (!Number.isFinite(loss))
          throw new MorphnetError(`the training loss became ${loss} at step ${step + 1}; lower --lr.`);
        step++;
        lossSum += loss;
        lossCount++;
        if (step % controlEvery === 0 || step === totalSteps) {
          state = reg.evaluate(await sourceWeights(engine, model, reg));
          if (
            control &&
            !held &&
            holdStructure &&
            step >= reach * totalSteps &&
            state.cost <= options.budget!
          )
            held = Uint8Array.from(state.alive, (a) => 1 - a);
          if (control && !held) {
            lambda = control.update(step, state.cost, reg.costAtThreshold(state, 5 * reg.threshold));
            const ceiling = cap / maxCoefficient(state);
            if (lambda > ceiling) {
              lambda = ceiling;
              control.restore({ lambda });
            }
          }
          engine.setExtraGradient(reg.engineCoefficients(state, lambda, held));
        }
        const log = step % logEvery === 0 || step === totalSteps;
        if (log) {
          accuracy = await splitAccuracy(engine, validation, validationLimit);
          history.push({
            step,
            epoch: step / perEpoch,
            loss: lossSum / Math.max(1, lossCount),
            regularizer: state.loss,
            cost: state.cost,
            lambda,
            accuracy,
            alive: reg.layerAlive(state.alive).alive,
          });
          lossSum = 0;
          lossCount = 0;
        }
        options.onProgress?.({
          step,
          totalSteps,
          epoch: step / perEpoch,
          loss,
          cost: state.cost,
          lambda,
          accuracy,
        });
        if (dir && log) await writeHistory(dir, { steps: history });
        if (
          dir &&
          step < totalSteps &&
          (step % checkpointEvery === 0 || step === stopAt) &&
          step % controlEvery === 0
        ) {
          await engine.syncTo(model);
          await saveCheckpoint(
            dir,
            model,
            { step, lambda, history: { steps: history }, settings, held: held ? [...held] : undefined },
            await engine.exportOptimizerState(),
          );
        }
        if (step >= stopAt || step - epoch * perEpoch >= perEpoch) break;
      }
    }
    const finished = step >= totalSteps;
    if (finished && recalibration > 0) {
      await recalibrateBn(engine, train, batchSize, seed + 7919, recalibration, state, reg);
      accuracy = await splitAccuracy(engine, validation, validationLimit);
      const last = history[history.length - 1];
      if (last?.step === step) last.accuracy = accuracy;
    }
    await engine.syncTo(model);
    if (finished)
      for (const r of state.revived)
        warn(
          `morphnet: every channel of ${r.layers.slice(0, 3).join(', ')} fell below the threshold ${reg.threshold}; kept its strongest channel.`,
        );
    await engine.syncTo(model);
    const layers = reg.layerAlive(state.alive);
    const test = options.data.test;
    const testAccuracy = finished && test ? await splitAccuracy(engine, test, test.count) : undefined;
    return {
      regularizer: reg,
      testAccuracy,
      engine: engine.kind,
      steps: step,
      finished,
      resumedFrom: start > 0 ? start : undefined,
      initialCost: reg.initialCost,
      budget: options.budget,
      cost: state.cost,
      lambda,
      alive: state.alive,
      aliveByLayer: layers.alive,
      masks: layers.masks,
      validationAccuracy: accuracy ?? (await splitAccuracy(engine, validation, validationLimit)),
      history: { steps: history },
      warnings,
    };
  } finally {
    restoreBn();
    engine.dispose();
  }
}
