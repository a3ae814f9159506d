/**
 * ONNX export: the exported inference graph, run by onnxruntime, gives tf.js `predict`'s outputs within
 * 1e-4 (softmax included) on resnet20, mobilenet-v2 and a pruned model, at batch 1 and 3 (a symbolic
 * batch); its one input is the model's NHWC input, its one output the model's; an unsupported layer is
 * refused in one sentence naming it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOrt } from '../../src/engine/onnx/runtime.js';
import { exportOnnx } from '../../src/export/onnx.js';
import { pruneModel } from '../../src/structure/index.js';
import { buildZooModel } from '../../src/zoo/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';
import { killChannels, randomizeStats } from '../structure/helpers.js';

beforeAll(cpuBackend);

/** Runs the exported graph and tf.js on the same input; returns the largest difference and the outputs. */
async function compare(model: tf.LayersModel, batch: number) {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(await exportOnnx(model));
  const shape = [batch, ...(model.inputs[0].shape.slice(1) as number[])];
  const x = tf.randomUniform(shape, 0, 1, 'float32', 11);
  const want = (model.predict(x) as tf.Tensor).dataSync();
  const result = await session.run({
    [session.inputNames[0]]: new ort.Tensor('float32', x.dataSync() as Float32Array, shape),
  });
  const out = result[session.outputNames[0]];
  const got = out.data as Float32Array;
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(want[i] - got[i]));
  await session.release();
  return { diff, dims: out.dims, got, names: [session.inputNames, session.outputNames] };
}

describe('exported ONNX equals tf.js predict within 1e-4', () => {
  it.each([
    ['resnet20', undefined],
    ['mobilenet-v2', [32, 32, 3]],
  ] as const)('%s', async (name, inputShape) => {
    const model = buildZooModel(name, { seed: 5, inputShape: inputShape as [number, number, number] });
    randomizeStats(model, 9);
    for (const batch of [1, 3]) {
      const { diff, dims, got, names } = await compare(model, batch);
      expect(dims).toEqual([batch, 10]);
      expect(names).toEqual([['input'], ['predictions']]);
      expect(diff).toBeLessThan(1e-4);
      expect(Math.max(...got)).toBeGreaterThan(0.15);
      // Softmax is in the graph: rows sum to 1.
      for (let r = 0; r < batch; r++)
        expect(got.slice(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });

  it('a pruned model (channels removed, dead constants folded)', async () => {
    const seed = buildZooModel('resnet20', { seed: 4 });
    randomizeStats(seed, 2);
    for (const l of seed.layers.filter((x) => /_bn1$/.test(x.name)))
      killChannels(seed, l.name, [0, 2, 4, 6, 8]);
    const pruned = (await pruneModel(seed, { measure: 'never' })).model;
    expect(pruned.countParams()).toBeLessThan(seed.countParams());
    const { diff, got } = await compare(pruned, 2);
    expect(diff).toBeLessThan(1e-4);
    expect(Math.max(...got)).toBeGreaterThan(0.15); // outputs far from uniform: the check is not trivial
  });

  it('a model whose output is not a softmax (logits) and a Flatten → Dense head', async () => {
    const x = tf.input({ shape: [6, 6, 2], name: 'pixels' });
    const c = apply(tf.layers.conv2d({ name: 'c', filters: 3, kernelSize: 3, activation: 'relu' }), x);
    const out = apply(
      tf.layers.dense({ name: 'logits', units: 4 }),
      apply(tf.layers.flatten({ name: 'f' }), c),
    );
    const { diff, names } = await compare(tf.model({ inputs: x, outputs: out }), 2);
    expect(names).toEqual([['pixels'], ['logits']]);
    expect(diff).toBeLessThan(1e-4);
  });

  it('refuses an unsupported layer in one sentence naming it', async () => {
    const x = tf.input({ shape: [4, 4, 2], name: 'image' });
    const up = apply(tf.layers.conv2dTranspose({ name: 'deconv', filters: 2, kernelSize: 2, strides: 2 }), x);
    const out = apply(
      tf.layers.dense({ name: 'head', units: 2 }),
      apply(tf.layers.globalAveragePooling2d({}), up),
    );
    const model = tf.model({ inputs: x, outputs: out, name: 'deconv-net' });
    await expect(exportOnnx(model)).rejects.toThrow(
      /^cannot export "deconv-net" to ONNX: layer "deconv" \(Conv2DTranspose\) is not supported by the onnx engine\.$/,
    );
  });
});
