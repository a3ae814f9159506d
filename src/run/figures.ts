/**
 * The figures a run reports for each network: FLOPs, params, target cost, test accuracy, and on a
 * measured runtime its measured end-to-end latency.
 */
import type * as tf from '@tensorflow/tfjs';
import { isMeasuredName, modelCost, type Target } from '../cost/index.js';
import type { Split } from '../data/types.js';
import { createEngine } from '../engine/index.js';
import { graphFromModel } from '../graph/index.js';
import { analyzeGroups } from '../groups/index.js';
import type { ModelFigures, Widths } from '../report/types.js';
import { ownerLayers } from '../structure/index.js';
import { splitAccuracy } from '../train/index.js';

/** FLOPs, params and the target's cost of a model at full width. */
export function modelFigures(
  model: tf.LayersModel,
  target: Target,
  hardware?: string,
): { flops: number; params: number; cost: number } {
  const graph = graphFromModel(model);
  const groups = analyzeGroups(graph);
  return {
    flops: modelCost(graph, groups, 'flops'),
    params: modelCost(graph, groups, 'params'),
    cost: modelCost(graph, groups, target, { hardware }),
  };
}

/** Output channels of each conv/dense layer (the widths the report draws). */
export function modelWidths(model: tf.LayersModel): Widths {
  const graph = graphFromModel(model);
  const out: Widths = {};
  for (const owner of ownerLayers(graph, analyzeGroups(graph))) out[owner.name] = owner.classes.length;
  return out;
}

/** Test accuracy of a model on a whole split, on an engine (inference mode). */
export async function testAccuracy(
  model: tf.LayersModel,
  test: Split,
  engine: 'auto' | 'onnx' | 'tfjs',
): Promise<number> {
  const e = await createEngine(model, { engine, onNotice: () => {} });
  try {
    return await splitAccuracy(e, test, test.count);
  } finally {
    e.dispose();
  }
}

/**
 * Measures the networks' end-to-end latency at batch 1 side by side (interleaved calls, `runs` rounds) on
 * a measured runtime and records it in their figures as `measuredLatency` (ns); nothing for other
 * hardware. The run's profile for that runtime must be loaded (`measuredHardware`).
 */
export async function addMeasuredLatency(
  networks: [ModelFigures, tf.LayersModel][],
  hardware: string | undefined,
  runs = 30,
): Promise<void> {
  if (!hardware || !isMeasuredName(hardware) || networks.length === 0) return;
  const { measureSideBySide } = await import('../latency/index.js');
  const stats = await measureSideBySide(
    networks.map(([, model]) => model),
    hardware,
    { runs },
  );
  networks.forEach(([figures], i) => {
    const { median, p25, p75, min, runs: n } = stats[i];
    figures.measuredLatency = { hardware: hardware.toLowerCase(), median, p25, p75, min, runs: n };
  });
}
