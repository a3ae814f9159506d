/**
 * Keras applications and Keras-written files tf.js 4.22 cannot load by itself, against what Keras says
 * of them (test/fixtures/keras/*.keras.json, written by Keras 3.15.1 through scripts/keras-fixtures.py)
 * and against the papers: EfficientNet-B0 has 5.3M parameters and 0.39B multiply-adds at 224×224 (Tan &
 * Le 2019, Table 2), MobileNetV3-Small 2.5M and 56M (Howard et al. 2019, Table 3). Each analyzes, prunes
 * with equal outputs and trains a few steps on the onnx engine; MobileNetV3 as Keras writes it (Python
 * operators as TFOpLambda layers) is refused in one sentence naming the layer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGraph } from '../../src/analyze/index.js';
import { loadModelArg } from '../../src/cli/model-source.js';
import { createEngine } from '../../src/engine/index.js';
import { graphFromModel, readGraphFile } from '../../src/graph/index.js';
import { saveModel } from '../../src/io/index.js';
import { pruneModel } from '../../src/structure/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { awayFromZero, oneHot, seedWeights } from '../engine/helpers.js';
import { runCli } from '../helpers/cli.js';
import { cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, maxOutputDiff, randomizeStats } from '../structure/helpers.js';

const DIR = new URL('../fixtures/keras/', import.meta.url).pathname;
const file = (name: string) => join(DIR, `${name}.json`);

interface KerasFacts {
  count_params: number;
  output_shapes: Record<string, number[]>;
  input?: number[];
  input_shape?: number[];
  output?: number[];
}
const facts = (name: string): KerasFacts => JSON.parse(readFileSync(join(DIR, `${name}.keras.json`), 'utf8'));

let tmp: string;
beforeAll(async () => {
  await cpuBackend();
  tmp = mkdtempSync(join(tmpdir(), 'morphnet-keras-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Layers whose output shape differs from Keras' (by name), over the layers Keras lists (with `named`,
 * only the layers Keras' application code names: its auto-named activations have no twin in the zoo).
 */
function shapeMismatches(
  shapes: Map<string, number[]>,
  keras: KerasFacts,
  options: { skip?: RegExp; named?: boolean } = {},
): string[] {
  return Object.entries(keras.output_shapes)
    .filter(([name]) => !options.skip?.test(name))
    .filter(
      ([name]) =>
        !options.named ||
        !/^(re_lu|activation|multiply|add|input_layer|rescaling|dropout|flatten)(_\d+)?$/.test(name),
    )
    .filter(([name, s]) => JSON.stringify(shapes.get(name)) !== JSON.stringify(s))
    .map(([name]) => name);
}

/** Kills a few channels of every `n`-th BatchNormalization (γ and β zero), prunes, and compares outputs. */
async function pruneRoundTrip(model: tf.LayersModel, every = 3): Promise<void> {
  randomizeStats(model, 5);
  model.layers
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .forEach((l, i) => {
      if (i % every === 0) killChannels(model, l.name, [0, 2], 0);
    });
  const result = await pruneModel(model, { measure: 'never' });
  expect(result.model.countParams()).toBeLessThan(model.countParams());
  expect(maxOutputDiff(model, result.model)).toBeLessThanOrEqual(1e-5);
}

/** A few onnx-engine steps on one batch: the loss is finite and falls. */
async function trainsOnOnnx(model: tf.LayersModel, classes: number): Promise<void> {
  const engine = await createEngine(model, { engine: 'onnx', learningRate: 0.02, threads: 1 });
  expect(engine.kind).toBe('onnx');
  const xs = awayFromZero([4, ...(model.inputs[0].shape.slice(1) as number[])], 3);
  const ys = oneHot(4, classes, 4);
  const first = await engine.step(xs, ys);
  let last = first;
  for (let i = 0; i < 4; i++) last = await engine.step(xs, ys);
  expect(Number.isFinite(last)).toBe(true);
  expect(last).toBeLessThan(first);
  engine.dispose();
  tf.dispose([xs, ys]);
}

describe('EfficientNetB0 as Keras writes it (Rescaling, Normalization, swish, drop-connect)', () => {
  it("reads to Keras' shapes and parameter count, and the paper's cost at 224×224", async () => {
    const graph = await readGraphFile(file('efficientnet-b0-32'));
    const shapes = new Map([...graph.layers.keys()].map((n) => [n, graph.opsById.get(n)!.outputShapes[0]]));
    expect(shapeMismatches(shapes, facts('efficientnet-b0-32'))).toEqual([]);
    expect(analyzeGraph(graph).total.params).toBe(facts('efficientnet-b0-32').count_params); // 4,062,381
    const full = analyzeGraph(await readGraphFile(file('efficientnet-b0-224')));
    expect(full.total.params).toBe(facts('efficientnet-b0-224').count_params); // 5,330,571
    expect(full.total.params / 5.3e6).toBeCloseTo(1, 1);
    expect(Math.abs(full.total.macs / 0.39e9 - 1)).toBeLessThan(0.02);
    expect(full.boundaries).toEqual([]);
  });

  it('loads into tf.js through morphnet, prunes with equal outputs and trains on the onnx engine', async () => {
    const { model } = await loadModelArg(file('efficientnet-b0-32'), { freshWeights: true });
    expect(model.countParams()).toBe(facts('efficientnet-b0-32').count_params);
    seedWeights(model, 9);
    await pruneRoundTrip(model, 4);
    await trainsOnOnnx(model, 10);
  });
});

describe('MobileNetV3-Small', () => {
  it("the zoo's layout has Keras' parameter count and shapes, and the paper's cost", () => {
    for (const [name, keras] of [
      ['mobilenet-v3-small', 'mobilenet-v3-small-32'],
      ['mobilenet-v3-small-imagenet', 'mobilenet-v3-small-224'],
    ]) {
      const model = buildZooModel(name, { seed: 1 });
      expect(model.countParams()).toBe(facts(keras).count_params); // 1,540,218 and 2,554,968
      const shapes = new Map(model.layers.map((l) => [l.name, (l.outputShape as number[]).slice(1)]));
      // tf.js 4.22 pools without keepdims: the zoo reshapes to [1, 1, C] right after
      const skip = /avg_pool$|^global_average_pooling2d(_\d+)?$/;
      expect(shapeMismatches(shapes, facts(keras), { skip, named: true })).toEqual([]);
      expect(shapes.get('expanded_conv_10_project_bn')).toEqual(
        facts(keras).output_shapes['expanded_conv_10_project_bn'],
      );
      if (name.endsWith('imagenet')) {
        const cost = analyzeGraph(graphFromModel(model)).total;
        expect(Math.abs(cost.macs / 56e6 - 1)).toBeLessThan(0.02);
        expect(cost.params / 2.5e6).toBeCloseTo(1, 1);
      }
      model.dispose();
    }
  });

  it('prunes with equal outputs and trains on the onnx engine', async () => {
    const model = buildZooModel('mobilenet-v3-small', { seed: 2 });
    await pruneRoundTrip(model, 3);
    await trainsOnOnnx(model, 10);
  });

  it('as Keras writes it (TFOpLambda layers) is refused in one sentence naming the layer', () => {
    const r = runCli(['analyze', file('mobilenet-v3-small-32')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^morphnet: .*mobilenet-v3-small-32\.json: layer "tf\.__operators__\.add" \(TFOpLambda\) is a Python lambda, which no JavaScript runtime can run; replace it by .*Rescaling/,
    );
  });
});

describe('Keras-written files with weights', () => {
  it("SeparableConv2D with tf.keras' kernel_* fields loads with Keras' outputs, prunes and trains", async () => {
    const keras = facts('separable');
    const raw = JSON.parse(readFileSync(file('separable'), 'utf8'));
    const sep = raw.modelTopology.model_config.config.layers.find((l: { name: string }) => l.name === 'sep');
    expect(sep.config.kernel_initializer).not.toBeNull(); // what tf.js alone refuses
    await expect(tf.loadLayersModel(tf.io.fromMemory(raw.modelTopology))).rejects.toThrow(
      /kernelInitializer/,
    );
    const { model } = await loadModelArg(file('separable'));
    const y = model.predict(tf.tensor(keras.input!, keras.input_shape!)) as tf.Tensor;
    expect(maxAbsDiff(y.dataSync(), keras.output!)).toBeLessThanOrEqual(1e-5);
    expect(analyzeGraph(await readGraphFile(file('separable'))).total.params).toBe(keras.count_params);
    await pruneRoundTrip(model, 1);
    await trainsOnOnnx(model, 3);
  });

  it("Normalization loads with Keras' outputs, is written as a frozen BatchNormalization plain tf.js loads, and trains", async () => {
    const keras = facts('normalized');
    const { model } = await loadModelArg(file('normalized'));
    const x = tf.tensor(keras.input!, keras.input_shape!);
    const y = model.predict(x) as tf.Tensor;
    expect(maxAbsDiff(y.dataSync(), keras.output!)).toBeLessThanOrEqual(1e-5);
    // Keras' count_params includes Normalization's mean, variance and count (3 + 3 + 1)
    expect(analyzeGraph(await readGraphFile(file('normalized'))).total.params).toBe(keras.count_params);

    const out = join(tmp, 'normalized');
    await saveModel(model, out);
    const written = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    const norm = written.modelTopology.config.layers.find(
      (l: { name: string }) => l.name === 'normalization',
    );
    expect(norm.class_name).toBe('BatchNormalization');
    expect(norm.config.trainable).toBe(false);
    expect(
      maxAbsDiff(plainTfjsOutputs(join(out, 'model.json'), keras.input!, keras.input_shape!), keras.output!),
    ).toBeLessThanOrEqual(1e-5);

    await trainsOnOnnx(model, 3);
  });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Outputs of a written model.json loaded by plain tf.js in a fresh Node process (morphnet not imported). */
function plainTfjsOutputs(modelJson: string, input: number[], shape: number[]): number[] {
  const script = `
    const tf = require('@tensorflow/tfjs');
    const fs = require('node:fs');
    const path = require('node:path');
    (async () => {
      await tf.setBackend('cpu');
      const json = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
      const group = json.weightsManifest[0];
      const data = fs.readFileSync(path.join(path.dirname(process.argv[1]), group.paths[0]));
      const model = await tf.loadLayersModel(tf.io.fromMemory({
        modelTopology: json.modelTopology, weightSpecs: group.weights,
        weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }));
      const y = model.predict(tf.tensor(JSON.parse(process.argv[2]), JSON.parse(process.argv[3])));
      process.stdout.write(JSON.stringify(Array.from(y.dataSync())));
    })();`;
  const r = spawnSync(
    process.execPath,
    ['-e', script, modelJson, JSON.stringify(input), JSON.stringify(shape)],
    {
      encoding: 'utf8',
      cwd: new URL('../..', import.meta.url).pathname,
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as number[];
}
