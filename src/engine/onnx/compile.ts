/**
 * Compiles a planned model into one ONNX graph: `step` (training forward, the loss, backward,
 * extra per-channel gradient, weight decay, optimizer update, BN moving statistics), `grads` (the same
 * without update or statistics; outputs the gradients) or `eval` (inference forward, loss and accuracy).
 */
import { GraphBuilder, type ConstFeed } from './builder.js';
import { isSpatial } from './layers/layout.js';
import { emitLoss, outputActivation } from './loss.js';
import type { Plan, PlanWeight } from './plan.js';
import { emitterFor } from './registry.js';
import type { Backward, EmitContext } from './types.js';
import type { OpNode } from '../../graph/types.js';
import type { ResolvedLoss } from '../losses.js';

/** Which graph to build. */
export type GraphKind = 'step' | 'grads' | 'eval';

/** Optimizer settings baked into a step graph (the learning rate is an input). */
export interface OptimizerConfig {
  kind: 'sgd' | 'adam';
  momentum: number;
  nesterov: boolean;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

/** A dropout mask input the engine draws each step. */
export interface MaskSpec {
  name: string;
  /** Dims after the batch, in graph layout. */
  dims: number[];
  rate: number;
}

/** A compiled graph and what running it needs. */
export interface Compiled {
  bytes: Uint8Array;
  constFeeds: ConstFeed[];
  masks: MaskSpec[];
  /** Names of the graph's inputs (to build feeds). */
  inputNames: string[];
  outputNames: string[];
}

/** Input/output names used by the compiled graphs. */
export const names = {
  weight: (w: string) => `w:${w}`,
  newWeight: (w: string) => `w':${w}`,
  slot: (slot: 'm' | 'v', w: string) => `${slot}:${w}`,
  newSlot: (slot: 'm' | 'v', w: string) => `${slot}':${w}`,
  coefficient: (w: string) => `c:${w}`,
  grad: (w: string) => `g:${w}`,
};

/** The optimizer slots a configuration keeps per trainable weight. */
export function slotsOf(opt: OptimizerConfig): ('m' | 'v')[] {
  if (opt.kind === 'adam') return ['m', 'v'];
  return opt.momentum > 0 ? ['m'] : [];
}

/** The loss of graphs compiled without one: softmax cross-entropy (logits in, the softmax fused). */
export const DEFAULT_LOSS: ResolvedLoss = { name: 'categorical-crossentropy', fused: 'softmax' };

/**
 * Emits the forward pass of a plan from the graph tensor `x` (the model input, channels last): every op
 * through its emitter. Returns each model tensor's graph name and each op's backward.
 */
export function emitForward(
  ctx: EmitContext,
  plan: Plan,
  x: string,
): { tensorNames: Map<string, string>; backwards: Map<string, Backward> } {
  const { b } = ctx;
  const tensorNames = new Map<string, string>();
  tensorNames.set(plan.graph.inputs[0], isSpatial(plan.inputShape) ? b.transpose(x, [0, 3, 1, 2]) : x);
  const backwards = new Map<string, Backward>();
  for (const op of plan.graph.ops) {
    if (op.className === 'InputLayer') continue;
    const emitted = emitterFor(op.className)!.forward(
      ctx,
      op,
      op.inputs.map((t) => tensorNames.get(t)!),
    );
    op.outputs.forEach((t, i) => tensorNames.set(t, emitted.outputs[i]));
    backwards.set(op.id, emitted.backward);
  }
  return { tensorNames, backwards };
}

/**
 * Builds the graph of `kind` for a plan. `extra` lists the weights that get a per-channel extra gradient;
 * `nchwcBlock` (from `detectNchwcBlock`, 0 = off) routes eligible convs through onnxruntime's NCHWc kernels;
 * `loss` is the training loss bound to the model's output (`resolveLoss`).
 */
export function compile(
  plan: Plan,
  kind: GraphKind,
  opt: OptimizerConfig,
  extra: Set<string> = new Set(),
  nchwcBlock = 0,
  loss: ResolvedLoss = DEFAULT_LOSS,
): Compiled {
  const b = new GraphBuilder();
  b.nchwcBlock = nchwcBlock;
  const { graph } = plan;
  const training = kind !== 'eval';
  const weightName = (op: OpNode, short: string) => `${op.layer}/${short}`;
  const weightInput = (w: PlanWeight) => b.input(names.weight(w.name), w.layout.shape);
  const weightGrads = new Map<string, string[]>();
  const statistics = new Map<string, string>();
  const masks: MaskSpec[] = [];

  const ctx: EmitContext = {
    b,
    mode: training ? 'train' : 'infer',
    updatesStatistics: kind === 'step',
    weight(op, short) {
      const w = plan.weightsByName.get(weightName(op, short));
      if (!w) throw new Error(`layer "${op.layer}" has no weight "${short}"`);
      return weightInput(w);
    },
    hasWeight: (op, short) => plan.weightsByName.has(weightName(op, short)),
    weightGrad(op, short, grad) {
      const name = weightName(op, short);
      if (!plan.weightsByName.get(name)?.trainable) return;
      const list = weightGrads.get(name) ?? [];
      list.push(grad);
      weightGrads.set(name, list);
    },
    setStatistic: (op, short, value) => void statistics.set(weightName(op, short), value),
    activation: (op, name) => (op === plan.outputOp ? outputActivation(loss, name) : name),
    dropoutMask(op, dims, rate) {
      const name = `mask:${op.id}`;
      masks.push({ name, dims, rate });
      return b.input(name, ['N', ...dims]);
    },
  };

  const { tensorNames, backwards } = emitForward(ctx, plan, b.input('x', ['N', ...plan.inputShape]));

  // Loss, on the output (logits where the loss fuses the output's softmax or sigmoid).
  const y = b.input('y', ['N', plan.classes]);
  const emitted = emitLoss(b, loss, tensorNames.get(graph.outputs[0])!, y);
  b.output('loss', emitted.loss);

  if (kind === 'eval') {
    if (emitted.accuracy) b.output('accuracy', emitted.accuracy());
    return finish(b, masks);
  }

  // Backward, in reverse op order; gradients into a tensor with several consumers are summed.
  const trainableLayers = new Set(plan.weights.filter((w) => w.trainable).map((w) => w.layer));
  const requiresGrad = new Set<string>();
  for (const op of graph.ops) {
    if (trainableLayers.has(op.layer) || op.inputs.some((t) => requiresGrad.has(t))) {
      op.outputs.forEach((t) => requiresGrad.add(t));
    }
  }
  const tensorGrads = new Map<string, string[]>();
  tensorGrads.set(graph.outputs[0], [emitted.gradient()]);
  for (const op of [...graph.ops].reverse()) {
    const backward = backwards.get(op.id);
    if (!backward) continue;
    const douts = op.outputs.map((t) => tensorGrads.get(t));
    if (douts.every((d) => !d)) continue;
    const need = op.inputs.map((t) => requiresGrad.has(t));
    const dins = backward(
      douts.map((d, i) => (d ? b.sum(d) : b.op('Mul', [tensorNames.get(op.outputs[i])!, b.scalar(0)]))),
      need,
    );
    dins.forEach((d, i) => {
      if (!d || !need[i]) return;
      const list = tensorGrads.get(op.inputs[i]) ?? [];
      list.push(d);
      tensorGrads.set(op.inputs[i], list);
    });
  }

  // Weight gradients, the extra gradient, and the update.
  const lr = kind === 'step' ? b.input('lr', []) : '';
  const bc1 = kind === 'step' && opt.kind === 'adam' ? b.input('bc1', []) : '';
  const bc2 = kind === 'step' && opt.kind === 'adam' ? b.input('bc2', []) : '';
  for (const w of plan.weights) {
    if (!w.trainable) continue;
    const value = weightInput(w);
    const parts = weightGrads.get(w.name);
    let g = parts ? b.sum(parts) : b.op('Mul', [value, b.scalar(0)]);
    if (extra.has(w.name)) g = b.add(g, extraGradient(b, w, value));
    if (kind === 'grads') {
      b.output(names.grad(w.name), g);
      continue;
    }
    if (opt.weightDecay > 0 && w.kernel) g = b.add(g, b.mul(value, b.scalar(opt.weightDecay)));
    emitUpdate(b, w, value, g, opt, lr, bc1, bc2);
  }
  if (kind === 'step') {
    for (const [name, value] of statistics) b.output(names.newWeight(name), value);
  }
  return finish(b, masks);
}

/** `c · sign(w)` for a 1-D weight; `c[o] · w / ‖w[o]‖` per output channel for a kernel (group lasso). */
function extraGradient(b: GraphBuilder, w: PlanWeight, value: string): string {
  const n = w.layout.shape[w.layout.outAxis];
  const c = b.input(names.coefficient(w.name), [n]);
  if (w.layout.shape.length === 1) return b.mul(c, b.op('Sign', [value]));
  const others = w.layout.shape.map((_, i) => i).filter((i) => i !== w.layout.outAxis);
  const norm = b.op('Sqrt', [b.reduceSum(b.mul(value, value), others, true)]);
  const cShape = w.layout.shape.map((d, i) => (i === w.layout.outAxis ? d : 1));
  const unit = b.div(value, b.op('Max', [norm, b.scalar(1e-12)]));
  return b.mul(b.reshape(c, cShape), unit);
}

function emitUpdate(
  b: GraphBuilder,
  w: PlanWeight,
  value: string,
  g: string,
  opt: OptimizerConfig,
  lr: string,
  bc1: string,
  bc2: string,
): void {
  if (opt.kind === 'adam') {
    const m = b.input(names.slot('m', w.name), w.layout.shape);
    const v = b.input(names.slot('v', w.name), w.layout.shape);
    const m2 = b.add(b.mul(m, b.scalar(opt.beta1)), b.mul(g, b.scalar(1 - opt.beta1)));
    const v2 = b.add(b.mul(v, b.scalar(opt.beta2)), b.mul(b.mul(g, g), b.scalar(1 - opt.beta2)));
    const denom = b.add(b.op('Sqrt', [b.mul(v2, bc2)]), b.scalar(opt.epsilon));
    const stepv = b.div(b.mul(m2, bc1), denom);
    b.output(names.newSlot('m', w.name), m2);
    b.output(names.newSlot('v', w.name), v2);
    b.output(names.newWeight(w.name), b.sub(value, b.mul(stepv, lr)));
    return;
  }
  if (opt.momentum > 0) {
    const m = b.input(names.slot('m', w.name), w.layout.shape);
    const m2 = b.add(b.mul(m, b.scalar(opt.momentum)), g);
    const dir = opt.nesterov ? b.add(g, b.mul(m2, b.scalar(opt.momentum))) : m2;
    b.output(names.newSlot('m', w.name), m2);
    b.output(names.newWeight(w.name), b.sub(value, b.mul(dir, lr)));
    return;
  }
  b.output(names.newWeight(w.name), b.sub(value, b.mul(g, lr)));
}

function finish(b: GraphBuilder, masks: MaskSpec[]): Compiled {
  return {
    bytes: b.toBytes(),
    constFeeds: b.constFeeds,
    masks,
    inputNames: b.inputs.map((i) => i.name!),
    outputNames: b.outputs.map((o) => o.name!),
  };
}
