/**
 * What the compiler needs to know of a model before emitting graphs: that every op is supported, its
 * single input and output, and every weight with its native layout and role.
 */
import { MorphnetError } from '../../errors.js';
import type { ModelGraph, OpNode, Shape } from '../../graph/types.js';
import { emitterFor, unsupportedReason } from './registry.js';
import type { WeightLayout } from './types.js';

/** A weight as the engine holds it. */
export interface PlanWeight {
  /** Manifest name, e.g. `stem/kernel`. */
  name: string;
  layer: string;
  shortName: string;
  /** tf.js shape. */
  tfShape: number[];
  layout: WeightLayout;
  /** Updated by the optimizer (false for moving statistics and frozen layers). */
  trainable: boolean;
  /** A BN moving statistic (updated by the training forward). */
  statistic: boolean;
  /** A kernel (gets weight decay): `kernel`, `depthwise_kernel`, `pointwise_kernel`. */
  kernel: boolean;
}

/** A model ready to compile. */
export interface Plan {
  graph: ModelGraph;
  weights: PlanWeight[];
  weightsByName: Map<string, PlanWeight>;
  inputShape: Shape;
  classes: number;
  outputOp: OpNode;
}

/** Thrown when a model holds a layer the onnx engine cannot compile; the message names the layer. */
export class UnsupportedModelError extends MorphnetError {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}

function defaultLayout(shape: number[]): WeightLayout {
  return { perm: shape.map((_, i) => i), shape: [...shape], outAxis: shape.length - 1 };
}

/** Checks a model graph and lists its weights; throws `UnsupportedModelError` naming the first bad layer. */
export function planModel(graph: ModelGraph, frozenLayers: Set<string> = new Set()): Plan {
  if (graph.inputs.length !== 1)
    throw new UnsupportedModelError(
      `the onnx engine needs one model input, "${graph.name}" has ${graph.inputs.length}`,
    );
  if (graph.outputs.length !== 1)
    throw new UnsupportedModelError(
      `the onnx engine needs one model output, "${graph.name}" has ${graph.outputs.length}`,
    );
  for (const op of graph.ops) {
    const layer = graph.layers.get(op.layer)!;
    const why = unsupportedReason(op, layer);
    if (why) throw new UnsupportedModelError(why);
  }
  const outTensor = graph.tensors.get(graph.outputs[0])!;
  if (outTensor.shape.length !== 1) {
    throw new UnsupportedModelError(
      `the onnx engine needs a [batch, classes] output, "${graph.name}" gives [N, ${outTensor.shape.join(', ')}]`,
    );
  }
  const weights: PlanWeight[] = [];
  for (const layer of graph.layers.values()) {
    const emitter = emitterFor(layer.className);
    for (const w of layer.weights) {
      if (w.dtype === 'int32') continue; // an integer (Normalization's count) never enters the graph
      const statistic = w.shortName === 'moving_mean' || w.shortName === 'moving_variance';
      const layout = statistic
        ? defaultLayout(w.shape)
        : (emitter?.layout?.(w, layer) ?? defaultLayout(w.shape));
      weights.push({
        name: w.name,
        layer: layer.name,
        shortName: w.shortName,
        tfShape: w.shape,
        layout,
        trainable: !statistic && w.trainable && !frozenLayers.has(layer.name),
        statistic,
        kernel: /(^|_)kernel$/.test(w.shortName),
      });
    }
  }
  const inputTensor = graph.tensors.get(graph.inputs[0])!;
  return {
    graph,
    weights,
    weightsByName: new Map(weights.map((w) => [w.name, w])),
    inputShape: inputTensor.shape,
    classes: outTensor.shape[0],
    outputOp: graph.opsById.get(outTensor.op)!,
  };
}
