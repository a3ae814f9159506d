/**
 * ONNX export: a tf.js model's inference graph as one `.onnx` file (`morphnet export --onnx`, `run`/`prune
 * --onnx`), built by the onnx engine's own layer emitters, so every model the onnx engine supports
 * exports. The graph takes the model's NHWC input with a symbolic batch dimension and gives its output
 * (softmax included); weights are initializers, so onnxruntime in any language loads the file alone.
 */
import type * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { modelWeights } from '../engine/model-weights.js';
import { inferenceGraph } from '../engine/onnx/inference.js';
import { planModel, type Plan } from '../engine/onnx/plan.js';
import { reconcileWithModel } from '../engine/reconcile.js';
import { graphFromModel, type GraphOptions } from '../graph/index.js';
import { writeFileAtomic } from '../io/atomic.js';

/** The compile plan of a model for export; throws a one-sentence MorphnetError naming a layer it cannot export. */
function exportPlan(model: tf.LayersModel, options: GraphOptions): Plan {
  const graph = graphFromModel(model, options);
  const refuse = (why: string) =>
    new MorphnetError(`cannot export "${model.name}" to ONNX: ${why.replace(/\.$/, '')}.`);
  const mismatch = reconcileWithModel(graph, model);
  if (mismatch) throw refuse(mismatch);
  try {
    return planModel(graph);
  } catch (e) {
    throw refuse((e as Error).message);
  }
}

/** Checks that a model exports (before long work that ends in an export); throws naming the layer. */
export function checkExportable(model: tf.LayersModel, options: GraphOptions = {}): void {
  exportPlan(model, options);
}

/** The model's inference graph as ONNX bytes; refuses a model the onnx engine cannot compile. */
export async function exportOnnx(model: tf.LayersModel, options: GraphOptions = {}): Promise<Uint8Array> {
  const plan = exportPlan(model, options);
  const { graph } = plan;
  const vars = modelWeights(model);
  const weights = new Map<string, Float32Array>();
  for (const w of plan.weights) {
    const data = await vars.get(w.name)!.variable.read().data();
    weights.set(w.name, data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>));
  }
  const input = graph.opsById.get(graph.tensors.get(graph.inputs[0])!.op)!.layer;
  const output = plan.outputOp.layer;
  return inferenceGraph(plan, weights, { input, output: output === input ? `${output}_output` : output });
}

/** Writes the model's inference graph to `file` (atomically: a temporary name, then a rename). */
export async function writeOnnx(
  model: tf.LayersModel,
  file: string,
  options: GraphOptions = {},
): Promise<void> {
  await writeFileAtomic(file, await exportOnnx(model, options));
}
