import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../../src/backend/index.js';
import { loadModel, readModelJson, saveModel, MODEL_JSON, WEIGHTS_BIN } from '../../src/io/index.js';

let root: string;

/** A small functional model with BN (moving statistics are weights too) and a depthwise conv. */
function smallModel(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.randomNormal({ seed: seed + s });
  const input = tf.input({ shape: [6, 5, 2] });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(1), name: 'stem' })
    .apply(input);
  x = tf.layers
    .batchNormalization({
      name: 'stem_bn',
      movingMeanInitializer: init(2),
      movingVarianceInitializer: 'ones',
    })
    .apply(x);
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, depthwiseInitializer: init(3), name: 'dw' }).apply(x);
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x);
  const out = tf.layers
    .dense({ units: 3, kernelInitializer: init(4), name: 'head' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `small${seed}` });
}

const probe = () =>
  tf.tensor4d(
    Array.from({ length: 2 * 6 * 5 * 2 }, (_, i) => Math.sin(i)),
    [2, 6, 5, 2],
  );

async function outputs(model: tf.LayersModel): Promise<number[]> {
  const x = probe();
  const y = model.predict(x) as tf.Tensor;
  const v = Array.from(await y.data());
  tf.dispose([x, y]);
  return v;
}

/** A load handler that reads the files the way tfjs' HTTP loader does (paths relative to model.json). */
function fileLoadHandler(jsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = tf.io.getWeightSpecs(manifest);
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest)
          for (const p of group.paths) {
            const b = await fs.readFile(path.join(path.dirname(jsonPath), p));
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
          }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

beforeAll(async () => {
  await useBackend('wasm');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'morphnet-io-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('saveModel / loadModel', () => {
  it('writes model.json + group1-shard1of1.bin in the tfjs artifacts format', async () => {
    const model = smallModel(1);
    const dir = path.join(root, 'layout');
    await saveModel(model, dir);
    expect((await fs.readdir(dir)).sort()).toEqual([WEIGHTS_BIN, MODEL_JSON].sort());
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const json = (await readModelJson(path.join(dir, MODEL_JSON))) as Record<string, unknown>;
    expect(json.modelTopology).toEqual(artifacts?.modelTopology);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toEqual([{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts?.weightSpecs }]);
    const bin = await fs.readFile(path.join(dir, WEIGHTS_BIN));
    const expected = new Uint8Array(tf.io.concatenateArrayBuffers(artifacts!.weightData!));
    expect(new Uint8Array(bin)).toEqual(expected);
    // 4·(stem 3·3·2·4 + 4, bn 4·4, dw 3·3·4 + 4, head 4·3 + 3) bytes of float32
    expect(bin.byteLength).toBe(4 * (72 + 4 + 16 + 36 + 4 + 12 + 3));
    model.dispose();
  });

  it('loads back with tf.loadLayersModel (tfjs-style file handler) and with loadModel, same outputs', async () => {
    const model = smallModel(2);
    const dir = path.join(root, 'roundtrip');
    await saveModel(model, dir);
    const want = await outputs(model);
    const viaTfjs = await tf.loadLayersModel(fileLoadHandler(path.join(dir, MODEL_JSON)));
    const viaOurs = await loadModel(path.join(dir, MODEL_JSON));
    expect(await outputs(viaTfjs)).toEqual(want);
    expect(await outputs(viaOurs)).toEqual(want);
    for (const m of [model, viaTfjs, viaOurs]) m.dispose();
  });

  it('loads a topology-only model.json with fresh weights', async () => {
    const model = smallModel(3);
    const dir = path.join(root, 'topology');
    await fs.mkdir(dir);
    const topo = { modelTopology: model.toJSON(null, false), format: 'layers-model' };
    await fs.writeFile(path.join(dir, MODEL_JSON), JSON.stringify(topo));
    const loaded = await loadModel(path.join(dir, MODEL_JSON));
    expect(loaded.countParams()).toBe(model.countParams());
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    model.dispose();
    loaded.dispose();
  });

  it('an interrupted save leaves the previous files intact (failure before the renames)', async () => {
    const first = smallModel(4);
    const dir = path.join(root, 'interrupted');
    await saveModel(first, dir);
    const before = await Promise.all([MODEL_JSON, WEIGHTS_BIN].map((f) => fs.readFile(path.join(dir, f))));
    const second = smallModel(5);
    const spy = vi.spyOn(fs, 'rename').mockRejectedValueOnce(new Error('simulated crash'));
    await expect(saveModel(second, dir)).rejects.toThrow('simulated crash');
    spy.mockRestore();
    const after = await Promise.all([MODEL_JSON, WEIGHTS_BIN].map((f) => fs.readFile(path.join(dir, f))));
    expect(after).toEqual(before);
    expect((await fs.readdir(dir)).sort()).toEqual([WEIGHTS_BIN, MODEL_JSON].sort());
    const reloaded = await loadModel(path.join(dir, MODEL_JSON));
    expect(await outputs(reloaded)).toEqual(await outputs(first));
    for (const m of [first, second, reloaded]) m.dispose();
  });

  it('an interrupted save leaves the previous files intact (failure while writing)', async () => {
    const first = smallModel(6);
    const dir = path.join(root, 'interrupted-write');
    await saveModel(first, dir);
    const before = await Promise.all([MODEL_JSON, WEIGHTS_BIN].map((f) => fs.readFile(path.join(dir, f))));
    const realOpen = fs.open;
    let calls = 0;
    const spy = vi.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof fs.open>) => {
      calls++;
      if (calls === 2) throw new Error('disk full'); // the model.json temp file, after the weights
      return realOpen(...args);
    });
    await expect(saveModel(smallModel(7), dir)).rejects.toThrow('disk full');
    spy.mockRestore();
    const after = await Promise.all([MODEL_JSON, WEIGHTS_BIN].map((f) => fs.readFile(path.join(dir, f))));
    expect(after).toEqual(before);
    expect((await fs.readdir(dir)).sort()).toEqual([WEIGHTS_BIN, MODEL_JSON].sort());
    first.dispose();
  });

  it('refuses a model.json whose weights come from another save', async () => {
    const dir = path.join(root, 'mixed');
    await saveModel(smallModel(8), dir);
    const oldJson = await fs.readFile(path.join(dir, MODEL_JSON));
    await saveModel(smallModel(9), dir);
    await fs.writeFile(path.join(dir, MODEL_JSON), oldJson);
    await expect(loadModel(path.join(dir, MODEL_JSON))).rejects.toThrow(/does not match/);
  });

  it('readModelJson: one clear sentence for a missing file, a folder, bad JSON', async () => {
    await expect(readModelJson(path.join(root, 'nope.json'))).rejects.toThrow(/nope\.json: no such file/);
    await expect(readModelJson(root)).rejects.toThrow(/is a folder/);
    const bad = path.join(root, 'bad.json');
    await fs.writeFile(bad, '{"modelTopology": ');
    await expect(readModelJson(bad)).rejects.toThrow(/bad\.json: not valid JSON/);
    await expect(loadModel(bad)).rejects.toThrow(/not valid JSON/);
    const notModel = path.join(root, 'other.json');
    await fs.writeFile(notModel, '{"a": 1}');
    await expect(loadModel(notModel)).rejects.toThrow(/not a tf\.js layers model/);
  });
});
