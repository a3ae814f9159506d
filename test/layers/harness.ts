/**
 * The conformance harness, in the spirit of Keras' `run_layer_test`: one check of a registered class in a
 * small model built around it, against outside numbers — tf.js's own shapes and parameter counts, a hand
 * count of FLOPs, the channel rule the class claims, tf.js's gradients (cpu backend) for the onnx engine,
 * and a zero-γ prune round trip whose outputs equal the original's.
 */
import { expect } from 'vitest';
import { MorphnetError } from '../../src/errors.js';
import { createEngine } from '../../src/engine/index.js';
import { layerCosts } from '../../src/cost/index.js';
import { graphFromModel, parseModelJson } from '../../src/graph/index.js';
import type { ModelGraph } from '../../src/graph/types.js';
import { analyzeGroups } from '../../src/groups/index.js';
import type { GroupAnalysis } from '../../src/groups/types.js';
import { pruneModel } from '../../src/structure/index.js';
import { awayFromZero, bothGradients, chainGradients, oneHot, seedWeights } from '../engine/helpers.js';
import { killChannels, maxOutputDiff, randomizeStats } from '../structure/helpers.js';
import { tf } from '../helpers/tf.js';

/** How the class's output channels relate to its input's. */
export type ChannelRule =
  | 'input' // the model input: pinned
  | 'new' // a new group (channel owners)
  | 'tied' // output channel c is input channel c
  | 'depthwise' // output c·m + j is input channel c
  | 'repeat' // output entry j is input channel j mod C (Flatten, Reshape)
  | 'slices' // the output concatenates the inputs' channels
  | 'boundary'; // kept whole

/** One harness entry: a model around the class and what the class must give in it. */
export interface ConformanceEntry {
  /** The layer under test is named `layer` in the model. */
  model?: () => tf.LayersModel;
  /** For a class tf.js cannot build: a model.json topology with the class, checked on the graph only. */
  json?: () => object;
  /** The layer's output shape (without the batch); checked against tf.js's own where tf.js builds it. */
  shape: number[];
  /** FLOPs of the layer per example, counted by hand. */
  flops: number;
  /** Keras' parameter count of the layer, where tf.js cannot count it. */
  params?: number;
  rule: ChannelRule;
  /** BatchNormalization layers whose channels die in the prune round trip, and the β they keep. */
  kill?: { bn: string; channels: number[]; beta: number }[];
  /** Replaces a layer in the tf.js reference gradient (where tf.js's own gradient kernel is approximate). */
  reference?: (batch: number) => Record<string, (x: tf.Tensor) => tf.Tensor>;
  /** Engine options of the gradient comparison (e.g. a seed pinning a dropout mask). */
  seed?: number;
}

/** The harness's graph of an entry: from the tf.js model, or from the JSON. */
export function entryGraph(entry: ConformanceEntry, model?: tf.LayersModel): ModelGraph {
  return model ? graphFromModel(model) : parseModelJson(entry.json!(), {}, 'the entry');
}

/** Checks the layer's shape and weights against tf.js's own (or the entry's numbers, without tf.js). */
export function checkShapes(entry: ConformanceEntry, graph: ModelGraph, model?: tf.LayersModel): void {
  const op = graph.opsById.get('layer')!;
  expect(op.outputShapes[0]).toEqual(entry.shape);
  const info = graph.layers.get('layer')!;
  if (!model) {
    expect(info.params).toBe(entry.params ?? 0);
    return;
  }
  const layer = model.getLayer('layer');
  expect([...(layer.outputShape as number[])].slice(1)).toEqual(entry.shape);
  expect(info.weights.map((w) => [w.shortName, w.shape])).toEqual(
    layer.weights.map((w) => [w.originalName.slice('layer/'.length), [...w.shape]]),
  );
  expect(info.params).toBe(layer.countParams());
}

/** Checks the class's channel rule on its op. */
export function checkChannels(entry: ConformanceEntry, graph: ModelGraph, groups: GroupAnalysis): void {
  const op = graph.opsById.get('layer')!;
  const out = [...groups.tensorClasses.get(op.outputs[0])!];
  const ins = op.inputs.map((t) => [...groups.tensorClasses.get(t)!]);
  const input = ins[0] ?? [];
  const pinned = (c: number) => groups.classPinned[c];
  switch (entry.rule) {
    case 'input':
      expect(out.every((c) => pinned(c) === 'input')).toBe(true);
      break;
    case 'new':
      expect(out.some((c) => input.includes(c))).toBe(false);
      expect(groups.sources.some((s) => s.layer === 'layer' && s.kind === 'kernel')).toBe(true);
      break;
    case 'tied':
      for (const x of ins) expect(x).toEqual(out);
      break;
    case 'depthwise': {
      const m = out.length / input.length;
      expect(out).toEqual(input.flatMap((c) => new Array<number>(m).fill(c)));
      break;
    }
    case 'repeat':
      expect(out).toEqual(out.map((_, j) => input[j % input.length]));
      break;
    case 'slices':
      expect(out).toEqual(ins.flat());
      break;
    case 'boundary':
      expect(groups.boundaries).toContain('layer');
      expect(out.every((c) => pinned(c) !== undefined)).toBe(true);
      break;
  }
}

/** Checks the layer's FLOPs against the hand count. */
export function checkCost(entry: ConformanceEntry, graph: ModelGraph, groups: GroupAnalysis): void {
  const row = layerCosts(graph, groups).find((r) => r.name === 'layer')!;
  expect(row.flops).toBe(entry.flops);
  expect(row.macs).toBe(entry.flops / 2);
}

/** The onnx engine's gradients equal tf.js's (relative error ≤ 1e-4). */
export async function checkGradients(entry: ConformanceEntry, model: tf.LayersModel): Promise<void> {
  seedWeights(model, 11);
  randomizeNormalization(model);
  const batch = 3;
  const shape = model.inputs[0].shape.slice(1) as number[];
  const xs = awayFromZero([batch, ...shape], 12);
  const ys = oneHot(batch, 3, 13);
  const options = entry.seed !== undefined ? { seed: entry.seed } : {};
  const { onnx, tfjs } = entry.reference
    ? {
        onnx: (await bothGradients(model, xs, ys, options, {}, 'onnx-only')).onnx,
        tfjs: chainGradients(model, xs, ys, entry.reference(batch)),
      }
    : await bothGradients(model, xs, ys, options);
  expect(Object.keys(onnx.grads).sort()).toEqual(Object.keys(tfjs.grads).sort());
  expect(Math.abs(onnx.loss - tfjs.loss) / Math.abs(tfjs.loss)).toBeLessThanOrEqual(1e-5);
  for (const [name, g] of Object.entries(tfjs.grads)) {
    expect(gradientError(onnx.grads[name], g), name).toBeLessThanOrEqual(1e-4);
  }
  tf.dispose([xs, ys]);
}

/**
 * Largest |a − b| over the largest |b|, the scale floored at 1e-2: a gradient that is (nearly) zero in
 * exact arithmetic (a bias before a BatchNormalization) compares at float32 noise, not as a relative error.
 */
function gradientError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1e-2;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** The onnx engine refuses the class in one sentence naming the layer; the tfjs engine trains it (if it can). */
export async function checkOnnxRefuses(model: tf.LayersModel, tfjsTrains: boolean): Promise<void> {
  const refusal = createEngine(model, { engine: 'onnx', loss: 'categorical-crossentropy' });
  await expect(refusal).rejects.toBeInstanceOf(MorphnetError);
  await expect(refusal).rejects.toThrow(/"layer" \(\w+\)/);
  if (!tfjsTrains) return;
  const engine = await createEngine(model, {
    engine: 'tfjs',
    learningRate: 0.05,
    loss: 'categorical-crossentropy',
  });
  const xs = awayFromZero([2, ...(model.inputs[0].shape.slice(1) as number[])], 14);
  const ys = oneHot(2, 3, 15);
  expect(Number.isFinite(await engine.step(xs, ys))).toBe(true);
  engine.dispose();
  tf.dispose([xs, ys]);
}

/** Zero some γ (β kept at a value), prune, and compare the outputs with the original's. */
export async function checkPrune(entry: ConformanceEntry, model: tf.LayersModel): Promise<void> {
  seedWeights(model, 21);
  randomizeStats(model, 22);
  randomizeNormalization(model);
  const kills = entry.kill ?? [{ bn: 'pre_bn', channels: [1, 4], beta: 0.3 }];
  for (const k of kills) killChannels(model, k.bn, k.channels, k.beta);
  const result = await pruneModel(model, { measure: 'never' });
  expect(result.warnings.filter((w) => !/kept whole|no source/.test(w))).toEqual([]);
  expect(result.model.countParams()).toBeLessThanOrEqual(model.countParams());
  expect(maxOutputDiff(model, result.model)).toBeLessThanOrEqual(1e-5);
  result.model.dispose();
}

/** Gives Normalization layers non-trivial statistics (means around 0, variances in [0.5, 2]). */
function randomizeNormalization(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Normalization' || layer.weights.length === 0) continue;
    const [mean, , count] = layer.getWeights();
    const c = mean.shape[0];
    layer.setWeights([
      tf.tensor(Array.from({ length: c }, (_, i) => 0.3 * Math.sin(i + 1))),
      tf.tensor(Array.from({ length: c }, (_, i) => 0.5 + (1.5 * ((i * 7) % 5)) / 4)),
      count,
    ]);
  }
}

/** The one-sentence refusal (a MorphnetError) the graph reader gives for a model file named `source`. */
export function refusalOf(json: object, source = 'lambda/model.json'): string {
  try {
    parseModelJson(json, {}, source);
  } catch (e) {
    expect(e).toBeInstanceOf(MorphnetError);
    return (e as Error).message;
  }
  throw new Error('the model was accepted');
}

export { analyzeGroups };
