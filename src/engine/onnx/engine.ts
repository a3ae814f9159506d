/**
 * The `onnx` engine: the model compiled into ONNX graphs (training step, gradients, evaluation) run by
 * onnxruntime-node. Weights, optimizer slots and BN moving statistics live as onnxruntime tensors in the
 * graphs' native layout; each step feeds them in and keeps the updated outputs for the next step.
 */
import type * as tf from '@tensorflow/tfjs';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { MorphnetError } from '../../errors.js';
import { updateCoefficients } from '../coefficients.js';
import { modelWeights } from '../model-weights.js';
import { checkOptimizerState, STEP_KEY, stateKey, stateSlots } from '../optimizer-state.js';
import { modelOutput, resolveLoss, type LossName, type ResolvedLoss } from '../losses.js';
import type { Engine, EngineOptions, Evaluation, GradientResult } from '../types.js';
import { compile, names, slotsOf, type Compiled, type GraphKind, type OptimizerConfig } from './compile.js';
import { fromNative, toNative } from './permute.js';
import type { Plan } from './plan.js';
import { dropoutMask, mulberry32 } from './random.js';
import { createSession, defaultThreads, detectNchwcBlock, type Ort } from './runtime.js';

interface Loaded {
  key: string;
  compiled: Compiled;
  session: InferenceSession;
  constFeeds: Record<string, OrtTensor>;
}

/** The `onnx` engine over a planned model. */
export class OnnxEngine implements Engine {
  readonly kind = 'onnx' as const;
  private readonly state = new Map<string, OrtTensor>();
  private readonly sessions = new Map<GraphKind, Loaded>();
  private readonly coefficients = new Map<string, Float32Array>();
  private readonly opt: OptimizerConfig;
  private readonly resolvedLoss: ResolvedLoss;
  private readonly threads: number;
  private readonly random: () => number;
  private lr: number;
  private steps = 0;
  private block = 0;
  private disposed = false;

  private constructor(
    private readonly ort: Ort,
    private readonly plan: Plan,
    model: tf.LayersModel,
    options: EngineOptions,
  ) {
    this.resolvedLoss = resolveLoss(modelOutput(model), options.loss);
    const kind = options.optimizer ?? 'sgd';
    this.opt = {
      kind,
      momentum: options.momentum ?? 0.9,
      nesterov: options.nesterov ?? false,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      epsilon: options.epsilon ?? 1e-7,
      weightDecay: options.weightDecay ?? 0,
    };
    this.lr = options.learningRate ?? (kind === 'adam' ? 0.001 : 0.01);
    this.threads = options.threads ?? defaultThreads();
    this.random = mulberry32(options.seed ?? 1);
  }

  /** Builds the engine: reads the model's weights and compiles the training step. */
  static async create(
    ort: Ort,
    plan: Plan,
    model: tf.LayersModel,
    options: EngineOptions,
  ): Promise<OnnxEngine> {
    const engine = new OnnxEngine(ort, plan, model, options);
    engine.block = options.nchwc === false ? 0 : await detectNchwcBlock(ort);
    const vars = modelWeights(model);
    for (const w of plan.weights) {
      const v = vars.get(w.name);
      if (!v) throw new MorphnetError(`the model has no weight "${w.name}"`);
      const data = (await v.variable.read().data()) as Float32Array;
      engine.state.set(
        names.weight(w.name),
        engine.tensor(toNative(data, w.tfShape, w.layout), w.layout.shape),
      );
      if (w.trainable) {
        for (const slot of slotsOf(engine.opt)) {
          const size = w.layout.shape.reduce((a, b) => a * b, 1);
          engine.state.set(names.slot(slot, w.name), engine.tensor(new Float32Array(size), w.layout.shape));
        }
      }
    }
    await engine.session('step');
    return engine;
  }

  get loss(): LossName {
    return this.resolvedLoss.name;
  }

  private tensor(data: Float32Array, dims: number[]): OrtTensor {
    return new this.ort.Tensor('float32', data, dims);
  }

  private extraKey(): string {
    return [...this.coefficients.keys()].sort().join('|');
  }

  /** The session of a graph kind, (re)compiled when the set of extra-gradient weights changed. */
  private async session(kind: GraphKind): Promise<Loaded> {
    if (this.disposed) throw new MorphnetError('the engine was disposed');
    const key = kind === 'eval' ? '' : this.extraKey();
    const loaded = this.sessions.get(kind);
    if (loaded && loaded.key === key) return loaded;
    if (loaded) await loaded.session.release();
    const extra = new Set(this.coefficients.keys());
    const compiled = compile(this.plan, kind, this.opt, extra, this.block, this.resolvedLoss);
    const session = await createSession(this.ort, compiled.bytes, this.threads);
    const constFeeds: Record<string, OrtTensor> = {};
    for (const f of compiled.constFeeds) constFeeds[f.name] = this.tensor(f.data, f.dims);
    const next = { key, compiled, session, constFeeds };
    this.sessions.set(kind, next);
    return next;
  }

  private async batch(xs: tf.Tensor, ys: tf.Tensor): Promise<[OrtTensor, OrtTensor]> {
    const want = this.plan.inputShape;
    if (xs.rank !== want.length + 1 || xs.shape.slice(1).some((d, i) => d !== want[i])) {
      throw new MorphnetError(
        `the batch has shape [${xs.shape.join(', ')}], the model takes [N, ${want.join(', ')}]`,
      );
    }
    if (ys.rank !== 2 || ys.shape[0] !== xs.shape[0] || ys.shape[1] !== this.plan.classes) {
      throw new MorphnetError(
        `the targets have shape [${ys.shape.join(', ')}], the model's output is [${xs.shape[0]}, ${this.plan.classes}]`,
      );
    }
    const [x, y] = await Promise.all([xs.data(), ys.data()]);
    return [
      this.tensor(x instanceof Float32Array ? x : Float32Array.from(x as ArrayLike<number>), xs.shape),
      this.tensor(y instanceof Float32Array ? y : Float32Array.from(y as ArrayLike<number>), ys.shape),
    ];
  }

  private feeds(loaded: Loaded, x: OrtTensor, y: OrtTensor): Record<string, OrtTensor> {
    const feeds: Record<string, OrtTensor> = { ...loaded.constFeeds, x, y };
    const n = x.dims[0];
    for (const m of loaded.compiled.masks) {
      const size = n * m.dims.reduce((a, b) => a * b, 1);
      feeds[m.name] = this.tensor(dropoutMask(this.random, size, m.rate), [n, ...m.dims]);
    }
    for (const name of loaded.compiled.inputNames) {
      if (name in feeds) continue;
      const s = this.state.get(name);
      if (s) feeds[name] = s;
      else if (name.startsWith('c:')) {
        const c = this.coefficients.get(name.slice(2))!;
        feeds[name] = this.tensor(c, [c.length]);
      }
    }
    return feeds;
  }

  async step(xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
    const [x, y] = await this.batch(xs, ys);
    const loaded = await this.session('step');
    const feeds = this.feeds(loaded, x, y);
    this.steps++;
    feeds['lr'] = this.tensor(Float32Array.of(this.lr), []);
    if (this.opt.kind === 'adam') {
      feeds['bc1'] = this.tensor(Float32Array.of(1 / (1 - this.opt.beta1 ** this.steps)), []);
      feeds['bc2'] = this.tensor(Float32Array.of(1 / (1 - this.opt.beta2 ** this.steps)), []);
    }
    const out = await loaded.session.run(feeds);
    for (const name of loaded.compiled.outputNames) {
      if (name.includes("':")) this.state.set(name.replace("':", ':'), out[name]);
    }
    return (out['loss'].data as Float32Array)[0];
  }

  async gradients(xs: tf.Tensor, ys: tf.Tensor): Promise<GradientResult> {
    const [x, y] = await this.batch(xs, ys);
    const loaded = await this.session('grads');
    const out = await loaded.session.run(this.feeds(loaded, x, y));
    const grads: Record<string, Float32Array> = {};
    for (const w of this.plan.weights) {
      const g = out[names.grad(w.name)];
      if (g) grads[w.name] = fromNative(g.data as Float32Array, w.tfShape, w.layout);
    }
    return { loss: (out['loss'].data as Float32Array)[0], grads };
  }

  async evaluate(xs: tf.Tensor, ys: tf.Tensor): Promise<Evaluation> {
    const [x, y] = await this.batch(xs, ys);
    const loaded = await this.session('eval');
    const out = await loaded.session.run(this.feeds(loaded, x, y));
    const accuracy = out['accuracy'];
    return {
      loss: (out['loss'].data as Float32Array)[0],
      accuracy: accuracy ? (accuracy.data as Float32Array)[0] : NaN,
    };
  }

  setExtraGradient(coefficients: Record<string, Float32Array | null>): void {
    updateCoefficients(this.coefficients, coefficients, (name) => {
      const w = this.plan.weightsByName.get(name);
      return w?.trainable ? w.layout.shape[w.layout.outAxis] : undefined;
    });
  }

  setLearningRate(lr: number): void {
    this.lr = lr;
  }

  async syncTo(model: tf.LayersModel): Promise<void> {
    const tfc = await import('@tensorflow/tfjs');
    const vars = modelWeights(model);
    for (const w of this.plan.weights) {
      const v = vars.get(w.name);
      if (!v) throw new MorphnetError(`syncTo: the model has no weight "${w.name}"`);
      const data = this.state.get(names.weight(w.name))!.data as Float32Array;
      const t = tfc.tensor(fromNative(data, w.tfShape, w.layout), w.tfShape);
      v.variable.write(t);
      t.dispose();
    }
  }

  /** Pairs of (exported key, state name) of every optimizer slot, with the weight it belongs to. */
  private slotNames(): { key: string; slot: string; w: Plan['weights'][number] }[] {
    const exported = stateSlots(this.opt.kind, this.opt.momentum);
    const native = slotsOf(this.opt);
    return this.plan.weights
      .filter((w) => w.trainable)
      .flatMap((w) =>
        native.map((s, i) => ({ key: stateKey(w.name, exported[i]), slot: names.slot(s, w.name), w })),
      );
  }

  exportOptimizerState(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = { [STEP_KEY]: Float32Array.of(this.steps) };
    for (const { key, slot, w } of this.slotNames()) {
      out[key] = fromNative(this.state.get(slot)!.data as Float32Array, w.tfShape, w.layout);
    }
    return Promise.resolve(out);
  }

  importOptimizerState(state: Record<string, Float32Array>): void {
    const slots = this.slotNames();
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const steps = checkOptimizerState(state, new Map(slots.map((s) => [s.key, size(s.w.tfShape)])));
    for (const { key, slot, w } of slots) {
      this.state.set(slot, this.tensor(toNative(state[key], w.tfShape, w.layout), w.layout.shape));
    }
    this.steps = steps;
  }

  weight(name: string): Float32Array {
    const w = this.plan.weightsByName.get(name);
    const t = this.state.get(names.weight(name));
    if (!w || !t) throw new MorphnetError(`no weight "${name}"`);
    return fromNative(t.data as Float32Array, w.tfShape, w.layout);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.sessions.values()) void s.session.release();
    this.sessions.clear();
    this.state.clear();
  }
}
