/**
 * The `tfjs` engine: the same interface over tf.js (any layer, any backend). Gradients by
 * `tf.variableGrads` over the model's own variables; the update written out in tf ops with the same
 * formulas as the onnx engine (PyTorch-form SGD momentum/Nesterov, bias-corrected Adam, L2 on kernels).
 * Trains the model it was given in place; `syncTo` copies into another model of the same architecture.
 */
import * as tf from '@tensorflow/tfjs';
import { MorphnetError } from '../../errors.js';
import { updateCoefficients } from '../coefficients.js';
import { modelOutput, resolveLoss, type LossName, type ResolvedLoss } from '../losses.js';
import { modelWeights, type ModelWeight } from '../model-weights.js';
import { checkOptimizerState, STEP_KEY, stateKey, stateSlots } from '../optimizer-state.js';
import type { Engine, EngineOptions, Evaluation, GradientResult } from '../types.js';
import { accuracyTf, lossTf } from './loss.js';

const KERNEL = /(^|_)kernel$/;

/** The extra gradient of one weight (tf layout: output channels are the trailing axes, row-major). */
export function extraGradientTf(w: tf.Tensor, c: Float32Array): tf.Tensor {
  return tf.tidy(() => {
    const coef = tf.tensor1d(c);
    if (w.rank === 1) return tf.mul(coef, tf.sign(w));
    const flat = tf.reshape(w, [-1, c.length]);
    const norm = tf.sqrt(tf.sum(tf.square(flat), 0));
    return tf.reshape(tf.mul(coef, tf.div(flat, tf.maximum(norm, 1e-12))), w.shape);
  });
}

/** The `tfjs` engine. */
export class TfjsEngine implements Engine {
  readonly kind = 'tfjs' as const;
  private readonly trainable: ModelWeight[];
  private readonly statistics: ModelWeight[];
  private readonly slots = new Map<string, tf.Variable[]>();
  private readonly coefficients = new Map<string, Float32Array>();
  private readonly resolvedLoss: ResolvedLoss;
  private readonly optimizer: 'sgd' | 'adam';
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private lr: number;
  private steps = 0;

  constructor(
    private readonly model: tf.LayersModel,
    options: EngineOptions = {},
  ) {
    const all = [...modelWeights(model).values()];
    this.trainable = all.filter((w) => w.trainable && !/^moving_(mean|variance)$/.test(w.shortName));
    this.statistics = all.filter((w) => /^moving_(mean|variance)$/.test(w.shortName));
    this.resolvedLoss = resolveLoss(modelOutput(model), options.loss);
    this.optimizer = options.optimizer ?? 'sgd';
    this.momentum = options.momentum ?? 0.9;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.lr = options.learningRate ?? (this.optimizer === 'adam' ? 0.001 : 0.01);
  }

  get loss(): LossName {
    return this.resolvedLoss.name;
  }

  private check(xs: tf.Tensor, ys: tf.Tensor): void {
    const want = this.model.inputs[0].shape.slice(1);
    if (xs.rank !== want.length + 1 || xs.shape.slice(1).some((d, i) => want[i] !== null && d !== want[i])) {
      throw new MorphnetError(
        `the batch has shape [${xs.shape.join(', ')}], the model takes [N, ${want.join(', ')}]`,
      );
    }
    const out = this.model.outputs[0].shape.slice(1);
    if (
      ys.rank !== out.length + 1 ||
      ys.shape[0] !== xs.shape[0] ||
      ys.shape.slice(1).some((d, i) => out[i] !== null && d !== out[i])
    ) {
      throw new MorphnetError(
        `the targets have shape [${ys.shape.join(', ')}], the model's output is [${xs.shape[0]}, ${out.join(', ')}]`,
      );
    }
  }

  /** Loss and gradients (loss gradient + extra gradient), keyed by weight name; tensors owned by the caller. */
  private grads(xs: tf.Tensor, ys: tf.Tensor): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
    const vars = this.trainable.map((w) => w.variable.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const out = this.model.apply(xs, { training: true }) as tf.Tensor;
      return lossTf(this.resolvedLoss, out, ys);
    }, vars);
    const out = new Map<string, tf.Tensor>();
    this.trainable.forEach((w, i) => {
      let g = grads[vars[i].name];
      const c = this.coefficients.get(w.name);
      if (c) {
        const sum = tf.tidy(() => tf.add(g, extraGradientTf(vars[i], c)));
        g.dispose();
        g = sum;
      }
      out.set(w.name, g);
    });
    return { loss: value, grads: out };
  }

  async step(xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
    this.check(xs, ys);
    const { loss, grads } = this.grads(xs, ys);
    this.steps++;
    tf.tidy(() => {
      for (const w of this.trainable) {
        const v = w.variable.read() as tf.Variable;
        let g = grads.get(w.name)!;
        if (this.weightDecay > 0 && KERNEL.test(w.shortName)) g = tf.add(g, tf.mul(v, this.weightDecay));
        const slots = this.slotsOf(w.name, v);
        let update: tf.Tensor;
        if (this.optimizer === 'adam') {
          const [m, s] = slots;
          m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
          s.assign(tf.add(tf.mul(s, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
          const bc1 = 1 / (1 - this.beta1 ** this.steps);
          const bc2 = 1 / (1 - this.beta2 ** this.steps);
          update = tf.div(tf.mul(m, bc1), tf.add(tf.sqrt(tf.mul(s, bc2)), this.epsilon));
        } else if (this.momentum > 0) {
          const [m] = slots;
          m.assign(tf.add(tf.mul(m, this.momentum), g));
          update = this.nesterov ? tf.add(g, tf.mul(m, this.momentum)) : m;
        } else update = g;
        v.assign(tf.sub(v, tf.mul(update, this.lr)));
      }
    });
    for (const g of grads.values()) g.dispose();
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  }

  private slotsOf(name: string, like: tf.Tensor): tf.Variable[] {
    let slots = this.slots.get(name);
    if (!slots) {
      const count = this.optimizer === 'adam' ? 2 : this.momentum > 0 ? 1 : 0;
      slots = Array.from({ length: count }, () => tf.variable(tf.zerosLike(like), false));
      this.slots.set(name, slots);
    }
    return slots;
  }

  async gradients(xs: tf.Tensor, ys: tf.Tensor): Promise<GradientResult> {
    this.check(xs, ys);
    const saved = this.statistics.map((w) => tf.clone(w.variable.read()));
    const { loss, grads } = this.grads(xs, ys);
    this.statistics.forEach((w, i) => {
      w.variable.write(saved[i]);
      saved[i].dispose();
    });
    const out: Record<string, Float32Array> = {};
    for (const [name, g] of grads) {
      out[name] = (await g.data()) as Float32Array;
      g.dispose();
    }
    const value = (await loss.data())[0];
    loss.dispose();
    return { loss: value, grads: out };
  }

  async evaluate(xs: tf.Tensor, ys: tf.Tensor): Promise<Evaluation> {
    this.check(xs, ys);
    const out = this.model.apply(xs, { training: false }) as tf.Tensor;
    const loss = lossTf(this.resolvedLoss, out, ys);
    const acc = accuracyTf(this.resolvedLoss, out, ys);
    out.dispose();
    const [l, a] = await Promise.all([loss.data(), acc?.data()]);
    loss.dispose();
    acc?.dispose();
    return { loss: l[0], accuracy: a ? a[0] : NaN };
  }

  setExtraGradient(coefficients: Record<string, Float32Array | null>): void {
    const byName = new Map(this.trainable.map((w) => [w.name, w]));
    updateCoefficients(this.coefficients, coefficients, (name) => {
      const w = byName.get(name);
      if (!w) return undefined;
      const shape = w.variable.shape as number[];
      // Output channels: the last axis; a depthwise kernel's are its last two (channel × multiplier).
      return w.shortName === 'depthwise_kernel' ? shape[2] * shape[3] : shape[shape.length - 1];
    });
  }

  setLearningRate(lr: number): void {
    this.lr = lr;
  }

  async exportOptimizerState(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = { [STEP_KEY]: Float32Array.of(this.steps) };
    const names = stateSlots(this.optimizer, this.momentum);
    for (const w of this.trainable) {
      const slots = this.slotsOf(w.name, w.variable.read());
      for (let i = 0; i < names.length; i++) {
        out[stateKey(w.name, names[i])] = Float32Array.from((await slots[i].data()) as Float32Array);
      }
    }
    return out;
  }

  importOptimizerState(state: Record<string, Float32Array>): void {
    const names = stateSlots(this.optimizer, this.momentum);
    const expected = new Map<string, number>();
    for (const w of this.trainable) {
      for (const n of names) expected.set(stateKey(w.name, n), w.variable.read().size);
    }
    const steps = checkOptimizerState(state, expected);
    for (const w of this.trainable) {
      const v = w.variable.read();
      const slots = this.slotsOf(w.name, v);
      names.forEach((n, i) => {
        const t = tf.tensor(state[stateKey(w.name, n)], v.shape);
        slots[i].assign(t);
        t.dispose();
      });
    }
    this.steps = steps;
  }

  weight(name: string): Float32Array {
    const w = modelWeights(this.model).get(name);
    if (!w) throw new MorphnetError(`no weight "${name}"`);
    return Float32Array.from(w.variable.read().dataSync() as Float32Array);
  }

  async syncTo(model: tf.LayersModel): Promise<void> {
    if (model === this.model) return;
    const target = modelWeights(model);
    for (const w of modelWeights(this.model).values()) {
      const t = target.get(w.name);
      if (!t) throw new MorphnetError(`syncTo: the model has no weight "${w.name}"`);
      t.variable.write(tf.clone(w.variable.read()));
    }
  }

  dispose(): void {
    for (const slots of this.slots.values()) for (const s of slots) s.dispose();
    this.slots.clear();
  }
}
