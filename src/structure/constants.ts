/**
 * The constant value a dead channel carries through the model at inference. A BN channel whose γ is
 * (treated as) zero outputs β everywhere (γ(k − μ)/√(σ² + ε) + β when its input is itself constant k);
 * a conv/dense output channel whose kernel slice is below the threshold outputs act(bias). (A γ or kernel
 * below the threshold but not zero makes the original differ from this by its small remaining signal:
 * that is the pruning decision, not a folding error, so `exact` only tracks borders.) Channel-wise
 * layers carry the value on (activations apply, pooling/cropping/up-sampling keep it, merges combine);
 * Flatten/Reshape repeat it over positions. ZeroPadding2D and `same` windows make borders differ from
 * the interior: the value is the interior one and the entry is marked inexact. Each class's rule lives
 * in its registry module (`constant`); channel owners share the kernel-switch rule below.
 */
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph, OpNode } from '../graph/types.js';
import { layerClass, type ConstantContext, type OwnerSpec, type TensorConstants } from '../layers/index.js';
import { applyFusedActivation } from './activations.js';
import { channelNorms } from './decide.js';
import type { WeightValues } from './weights.js';

export type { TensorConstants } from '../layers/index.js';

/** A channel owner's dead outputs whose kernel slice is below the threshold output act(bias). */
function kernelSwitchConstant(
  ctx: ConstantContext,
  owner: OwnerSpec,
  activation: string,
  threshold: number,
): void {
  const kernel = ctx.weight(owner.kernel);
  if (!kernel) return;
  const norms = channelNorms(kernel, owner.axis);
  const bias = ctx.weight('bias');
  for (let i = 0; i < ctx.size; i++) {
    if (!ctx.dead(i) || norms[i] > threshold) continue;
    ctx.out.value[i] = applyFusedActivation(activation, bias ? bias.values[i] : 0);
    ctx.out.exact[i] = 1; // a kernel slice below the threshold is treated as zero, like γ
  }
}

/** Propagates dead channels' constant values through the graph (see the file comment). */
export function deadConstants(
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array,
  weights: Map<string, WeightValues>,
  threshold: number,
): Map<string, TensorConstants> {
  const out = new Map<string, TensorConstants>();
  for (const op of graph.ops) {
    const classes = groups.tensorClasses.get(op.outputs[0])!;
    const ctx = constantContext(op, classes, alive, weights, out);
    const cls = layerClass(op.className);
    if (cls?.owner) kernelSwitchConstant(ctx, cls.owner, cls.activation(op), threshold);
    else cls?.constant(ctx);
    out.set(op.outputs[0], ctx.out);
  }
  return out;
}

function constantContext(
  op: OpNode,
  classes: Int32Array,
  alive: Uint8Array,
  weights: Map<string, WeightValues>,
  computed: Map<string, TensorConstants>,
): ConstantContext {
  const n = classes.length;
  return {
    op,
    size: n,
    dead: (i) => !alive[classes[i]],
    input: (k) => computed.get(op.inputs[k])!,
    weight: (short) => weights.get(`${op.layer}/${short}`),
    out: { value: new Float64Array(n).fill(NaN), exact: new Uint8Array(n) },
  };
}
