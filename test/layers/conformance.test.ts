/**
 * The conformance harness over the whole layer registry (see `harness.ts`): every registered class name
 * has an entry, and each entry's class gives tf.js's shapes and parameter counts, its channel rule, the
 * hand-counted FLOPs, the onnx engine's gradients equal to tf.js's (or a one-sentence refusal naming the
 * layer, and training on tfjs), and a zero-γ prune round trip with equal outputs. A class added to the
 * registry without an entry fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseModelJson } from '../../src/graph/index.js';
import { classSupport, registeredNames } from '../../src/layers/index.js';
import { tfjsTopology } from '../../src/layers/tfjs/prepare.js';
import { cpuBackend } from '../helpers/tf.js';
import { MorphnetError } from '../../src/errors.js';
import { loadModelArg } from '../../src/cli/model-source.js';
import { ENTRIES, jsonAround, lambdaJson } from './entries.js';
import {
  analyzeGroups,
  checkChannels,
  checkCost,
  checkGradients,
  checkOnnxRefuses,
  checkPrune,
  checkShapes,
  entryGraph,
  refusalOf,
} from './harness.js';

beforeAll(cpuBackend);

const REFUSED = ['Lambda', 'TFOpLambda', 'SlicingOpLambda'];
const names = registeredNames();

describe('layer registry conformance', () => {
  it('has an entry for every registered class', () => {
    const missing = names.filter((n) => !ENTRIES[n] && !REFUSED.includes(n));
    expect(missing).toEqual([]);
  });

  it.each(names.filter((n) => !REFUSED.includes(n)))('%s', async (name) => {
    const entry = ENTRIES[name]!;
    const support = classSupport(name)!;
    expect(support.analyze).toBe(true);
    expect(support.prune).toBe(entry.model !== undefined); // tf.js builds exactly the classes it claims
    const model = entry.model?.();
    const graph = entryGraph(entry, model);
    const groups = analyzeGroups(graph);
    checkShapes(entry, graph, model);
    checkChannels(entry, graph, groups);
    checkCost(entry, graph, groups);
    if (!model) return;
    if (support.onnx) await checkGradients(entry, model);
    else await checkOnnxRefuses(model, support.tfjs);
    await checkPrune(entry, model);
    model.dispose();
  });

  it.each(REFUSED)('%s is refused in one sentence naming the layer and its class', (name) => {
    expect(classSupport(name)).toEqual({ analyze: false, prune: false, onnx: false, tfjs: false });
    const message = refusalOf(lambdaJson(name));
    expect(message).toMatch(
      new RegExp(
        `^lambda/model\\.json: layer "layer" \\(${name}\\) is a Python lambda, which no JavaScript runtime can run; replace it by `,
      ),
    );
    expect(message.split('\n')).toHaveLength(1);
    expect(() => tfjsTopology(lambdaJson(name).modelTopology)).toThrow(/"layer" \(\w+\) is a Python lambda/);
  });

  it.each([
    ['SpatialDropout2D', 'SpatialDropout2D'],
    ['an unknown class', 'FancyAttention'],
  ])('%s: loading into tf.js is refused in one sentence naming the layer', async (_what, className) => {
    const json = jsonAround({ class_name: className, config: { name: 'layer', rate: 0.1 } }, 'one');
    expect(parseModelJson(json).layers.get('layer')!.className).toBe(className); // analyze reads it
    const load = loadModelArg('model.json', { json, freshWeights: true });
    await expect(load).rejects.toBeInstanceOf(MorphnetError);
    await expect(load).rejects.toThrow(
      new RegExp(
        `^model\\.json: layer "layer" \\(${className}\\) is a class tf\\.js cannot build; replace it by `,
      ),
    );
  });

  it('reads aliases as their canonical class', () => {
    const graph = parseModelJson({
      modelTopology: {
        class_name: 'Sequential',
        config: [
          {
            class_name: 'Convolution2D',
            config: { name: 'c', filters: 2, kernel_size: 1, batch_input_shape: [null, 4, 4, 1] },
          },
          { class_name: 'MaxPool2D', config: { name: 'p' } },
          { class_name: 'GlobalAvgPool2D', config: { name: 'g' } },
        ],
      },
    });
    expect(graph.ops.map((o) => o.className)).toEqual([
      'InputLayer',
      'Conv2D',
      'MaxPooling2D',
      'GlobalAveragePooling2D',
    ]);
  });
});
