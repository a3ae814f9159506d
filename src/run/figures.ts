/** The figures a run reports for each network: FLOPs, params, target cost and test accuracy. */
import type * as tf from '@tensorflow/tfjs';
import { modelCost, type Target } from '../cost/index.js';
import type { Split } from '../data/types.js';
import { createEngine } from '../engine/index.js';
import { graphFromModel } from '../graph/index.js';
import { analyzeGroups } from '../groups/index.js';
import type { Widths } from '../report/types.js';
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
