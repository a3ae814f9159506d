/**
 * A Keras-converted file (Keras 2.2.4 `model_config` layout, no `format` field) parses to the same graph as
 * its twin built and serialised by tf.js itself.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel, parseModelJson, readGraphFile } from '../../src/graph/index.js';
import type { ModelGraph } from '../../src/graph/types.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';

const FIXTURE = new URL('../fixtures/keras-2.2.4-functional.json', import.meta.url).pathname;

function twin(): tf.LayersModel {
  const x = tf.input({ shape: [28, 28, 1], name: 'input_1' });
  const c1 = apply(tf.layers.conv2d({ name: 'conv1', filters: 8, kernelSize: 3, activation: 'relu' }), x);
  const bn = apply(tf.layers.batchNormalization({ name: 'bn1' }), c1);
  const p1 = apply(tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }), bn);
  const a = apply(
    tf.layers.conv2d({ name: 'branch_a', filters: 6, kernelSize: 1, padding: 'same', useBias: false }),
    p1,
  );
  const b = apply(
    tf.layers.conv2d({ name: 'branch_b', filters: 10, kernelSize: 3, strides: 2, padding: 'same' }),
    p1,
  );
  const pa = apply(tf.layers.maxPooling2d({ name: 'pool_a', poolSize: 2, padding: 'same' }), a);
  const cat = apply(tf.layers.concatenate({ name: 'concat' }), [pa, b]);
  const d = apply(
    tf.layers.dense({ name: 'dense', units: 10, activation: 'softmax' }),
    apply(tf.layers.flatten({ name: 'flatten' }), cat),
  );
  return tf.model({ inputs: x, outputs: d, name: 'model_1' });
}

function essence(g: ModelGraph) {
  return {
    // Both are topological orders; tf.js sorts layers by depth, Keras keeps creation order: compare as sets.
    ops: g.ops
      .map((o) => ({
        id: o.id,
        className: o.className,
        inputs: o.inputs,
        inputShapes: o.inputShapes,
        outputShapes: o.outputShapes,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    layers: [...g.layers.values()]
      .map((l) => ({ name: l.name, params: l.params, weights: l.weights.map((w) => [w.name, w.shape]) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    inputs: g.inputs,
    outputs: g.outputs,
  };
}

describe('Keras-converted model files', () => {
  beforeAll(cpuBackend);

  it('parse to the same graph as the tf.js twin', async () => {
    const model = twin();
    const fromKeras = await readGraphFile(FIXTURE);
    expect(essence(fromKeras)).toEqual(essence(graphFromModel(model)));
    const params = [...fromKeras.layers.values()].reduce((s, l) => s + l.params, 0);
    expect(params).toBe(model.countParams());
    expect(fromKeras.opsById.get('concat')!.outputShapes[0]).toEqual([7, 7, 16]);
  });

  it('accepts the tfjs "layers-model" wrapping, Functional class name and a bare topology alike', async () => {
    const json = JSON.parse(await readFile(FIXTURE, 'utf8'));
    const reference = essence(parseModelJson(json));
    const tfjsStyle = {
      format: 'layers-model',
      modelTopology: json.modelTopology.model_config,
      weightsManifest: json.weightsManifest,
    };
    expect(essence(parseModelJson(tfjsStyle))).toEqual(reference);
    const functional = structuredClone(json.modelTopology.model_config);
    functional.class_name = 'Functional';
    expect(essence(parseModelJson({ modelTopology: functional }))).toEqual(reference);
    expect(essence(parseModelJson(json.modelTopology.model_config))).toEqual(reference);
  });

  it('reads a Sequential model whose first layer carries batch_input_shape', () => {
    const seq = tf.sequential({
      name: 'seq',
      layers: [
        tf.layers.conv2d({ name: 'c', inputShape: [12, 12, 3], filters: 4, kernelSize: 3 }),
        tf.layers.flatten({ name: 'f' }),
        tf.layers.dense({ name: 'd', units: 3 }),
      ],
    });
    const g = graphFromModel(seq);
    expect(g.ops.map((o) => [o.className, o.outputShapes[0]])).toEqual([
      ['InputLayer', [12, 12, 3]],
      ['Conv2D', [10, 10, 4]],
      ['Flatten', [400]],
      ['Dense', [3]],
    ]);
    expect([...g.layers.values()].reduce((s, l) => s + l.params, 0)).toBe(seq.countParams());
  });

  it('fills unknown input sizes from inputShape', () => {
    const json = {
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            {
              class_name: 'Conv2D',
              config: {
                name: 'c',
                batch_input_shape: [null, null, null, 3],
                filters: 2,
                kernel_size: 3,
                strides: 2,
                padding: 'same',
              },
            },
          ],
        },
      },
    };
    expect(() => parseModelJson(json)).toThrow(/unknown size \[\?, \?, 3\]; pass --input-shape H,W,C/);
    expect(parseModelJson(json, { inputShape: [33, 17, 3] }).ops[1].outputShapes[0]).toEqual([17, 9, 2]);
  });
});
