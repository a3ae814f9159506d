/**
 * Training engines: `createEngine(model, options)` picks `onnx` (the model compiled to ONNX graphs run by
 * onnxruntime-node) or `tfjs` (tf.js, any layer) behind one interface.
 */
import type * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../errors.js';
import { graphFromModel } from '../graph/index.js';
import { frozenLayers } from './model-weights.js';
import { reconcileWithModel } from './reconcile.js';
import { OnnxEngine } from './onnx/engine.js';
import { planModel, type Plan } from './onnx/plan.js';
import { loadOrt, type Ort } from './onnx/runtime.js';
import { TfjsEngine } from './tfjs/engine.js';
import type { Engine, EngineOptions } from './types.js';

export type { Engine, EngineOptions, Evaluation, GradientResult } from './types.js';
export {
  LOSS_NAMES,
  hasAccuracy,
  modelOutput,
  resolveLoss,
  type LossName,
  type ResolvedLoss,
} from './losses.js';
export { OnnxEngine } from './onnx/engine.js';
export { TfjsEngine } from './tfjs/engine.js';
export { supportedClasses } from './onnx/registry.js';
export { UnsupportedModelError } from './onnx/plan.js';

/** Why the onnx engine cannot train this model (naming the layer), or null when it can. */
export function onnxUnsupportedReason(model: tf.LayersModel): string | null {
  try {
    const graph = graphFromModel(model);
    const mismatch = reconcileWithModel(graph, model);
    if (mismatch) return mismatch;
    planModel(graph, frozenLayers(model));
    return null;
  } catch (e) {
    return (e as Error).message.replace(/\.$/, '');
  }
}

/**
 * Creates a training engine for `model`. `auto` (default) uses `onnx` when every layer compiles and
 * onnxruntime-node loads, else `tfjs` with a one-line notice naming the reason; `onnx` on a model it
 * cannot compile throws a `MorphnetError` naming the layer.
 */
export async function createEngine(model: tf.LayersModel, options: EngineOptions = {}): Promise<Engine> {
  const choice = options.engine ?? 'auto';
  if (choice === 'tfjs') return new TfjsEngine(model, options);
  if (choice !== 'auto' && choice !== 'onnx')
    throw new MorphnetError(`unknown engine "${String(choice)}"; use auto, onnx or tfjs.`);
  let reason: string | null = null;
  let plan: Plan | null = null;
  let ort: Ort | null = null;
  try {
    const graph = graphFromModel(model);
    reason = reconcileWithModel(graph, model);
    if (!reason) plan = planModel(graph, frozenLayers(model));
  } catch (e) {
    reason = (e as Error).message.replace(/\.$/, '');
  }
  if (!reason) {
    try {
      ort = await loadOrt();
    } catch (e) {
      reason = `onnxruntime-node did not load (${(e as Error).message.split('\n')[0]})`;
    }
  }
  if (reason || !plan || !ort) {
    if (choice === 'onnx') throw new MorphnetError(`cannot use the onnx engine: ${reason}.`);
    (options.onNotice ?? console.warn)(`morphnet: training on the tfjs engine: ${reason}.`);
    return new TfjsEngine(model, options);
  }
  return OnnxEngine.create(ort, plan, model, options);
}
