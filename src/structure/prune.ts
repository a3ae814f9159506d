/**
 * Pruning: a new tf.js model with only the alive channels, same layer names and topology, the old
 * weights copied slice by slice and the dead channels' constant outputs folded into what follows (see
 * fold.ts), so its outputs equal the original's wherever the fold is exact.
 */
import * as tf from '@tensorflow/tfjs';
import type { Target } from '../cost/index.js';
import { analyzeGroups } from '../groups/index.js';
import type { GroupAnalysis } from '../groups/types.js';
import type { GraphOptions } from '../graph/index.js';
import type { ModelGraph } from '../graph/types.js';
import { checkModel, checkPruneOptions } from './check-options.js';
import { mappedWeights, writeWeights } from './copy-weights.js';
import { decideAlive, type DecideOptions } from './decide.js';
import { foldDeadChannels, type FoldNote } from './fold.js';
import { nonFiniteWarnings } from './non-finite.js';
import { prunePlan, rebuildModel } from './rebuild.js';
import { aliveFromStructure, structureFromAlive, type Structure } from './structure-file.js';
import { graphFromModel as modelGraph } from '../graph/index.js';
import { readWeights } from './weights.js';

/** Options of {@link pruneModel}. */
export interface PruneOptions extends DecideOptions, GraphOptions {
  /** Use this structure's channels instead of deciding them from the weights. */
  structure?: Structure;
  /** Name of the structure in errors (e.g. its file). */
  structureSource?: string;
  /** Use this alive mask (per channel class of the model's graph) instead. */
  alive?: Uint8Array;
  /** Target recorded in the structure and used for its costs (default: the structure's, or flops). */
  target?: Target;
  /** Hardware for the latency target. */
  hardware?: string;
  /** Measure the output difference on a random input: always, never, or when a fold is inexact (default). */
  measure?: 'always' | 'never' | 'auto';
}

/** The pruned model and what was done. */
export interface PruneResult {
  model: tf.LayersModel;
  /** The original's graph and groups, and the alive mask used (per class). */
  graph: ModelGraph;
  groups: GroupAnalysis;
  alive: Uint8Array;
  /** The structure file of the pruned channels (keyed by the original's layers). */
  structure: Structure;
  /** One note per layer that read removed channels. */
  folds: FoldNote[];
  /** One line each: groups kept whole or revived, inexact folds with their measured difference. */
  warnings: string[];
  /** Max |original − pruned| over the outputs on a random input, when measured. */
  maxDifference?: number;
}

/**
 * Max absolute difference between two models' outputs on the same random normal input (batch 2);
 * `inputShape` fills unknown input sizes.
 */
export function outputDifference(
  a: tf.LayersModel,
  b: tf.LayersModel,
  seed = 1,
  inputShape?: number[],
): number {
  const inputs = a.inputs.map((i) =>
    tf.randomNormal([2, ...i.shape.slice(1).map((d, k) => d ?? inputShape?.[k] ?? 1)], 0, 1, 'float32', seed),
  );
  const ya = [a.predict(inputs.length === 1 ? inputs[0] : inputs)].flat() as tf.Tensor[];
  const yb = [b.predict(inputs.length === 1 ? inputs[0] : inputs)].flat() as tf.Tensor[];
  let max = 0;
  ya.forEach((t, k) => {
    const x = t.dataSync();
    const y = yb[k].dataSync();
    for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i] - y[i]));
  });
  tf.dispose([...inputs, ...ya, ...yb]);
  return max;
}

/** Prunes a model to its alive channels (decided from its weights, a structure, or a given mask). */
export async function pruneModel(model: tf.LayersModel, options: PruneOptions = {}): Promise<PruneResult> {
  checkModel('pruneModel', model);
  checkPruneOptions('pruneModel', options);
  const graph = modelGraph(model, options);
  const groups = analyzeGroups(graph);
  const weights = readWeights(model);
  const threshold = options.threshold ?? options.structure?.threshold ?? 0.01;
  const decision = decideAlive(groups, weights, { threshold, regularizer: options.regularizer });
  let alive = decision.alive;
  let warnings = decision.warnings;
  if (options.alive) {
    alive = options.alive;
    warnings = [];
  } else if (options.structure) {
    const r = aliveFromStructure(options.structure, graph, groups, {
      values: decision.values,
      source: options.structureSource,
    });
    alive = r.alive;
    warnings = r.warnings;
  }
  const plan = prunePlan(groups, alive);
  const rebuilt = await rebuildModel(model, graph, groups, alive, plan, options);
  const newWeights = mappedWeights(graph, weights, rebuilt.model, rebuilt.maps, 'zeros');
  const folds = foldDeadChannels(graph, groups, alive, weights, newWeights, rebuilt.maps, threshold);
  writeWeights(rebuilt.model, newWeights);

  const result: PruneResult = {
    model: rebuilt.model,
    graph,
    groups,
    alive,
    structure: structureFromAlive(graph, groups, alive, {
      target: options.target ?? options.structure?.target ?? 'flops',
      threshold,
      hardware: options.hardware ?? options.structure?.hardware,
    }),
    folds,
    warnings: [...nonFiniteWarnings(model, weights), ...warnings],
  };
  const inexact = folds.filter((f) => !f.exact);
  const measure = options.measure ?? 'auto';
  if (measure === 'always' || (measure === 'auto' && inexact.length > 0)) {
    result.maxDifference = outputDifference(model, rebuilt.model, 1, options.inputShape);
  }
  if (inexact.length > 0) {
    const first = inexact[0];
    const more = inexact.length > 1 ? ` (and ${inexact.length - 1} more layers)` : '';
    const diff =
      result.maxDifference !== undefined
        ? `; outputs differ by up to ${result.maxDifference.toPrecision(3)} on a random input`
        : '';
    result.warnings.push(
      `removed channels could not be folded exactly into "${first.layer}"${more}: ${first.reason ?? 'inexact'}${diff}.`,
    );
  }
  return result;
}
