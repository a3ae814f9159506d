/**
 * Times `analyze` in-process (parse the model.json, channel groups, every cost) for ResNet-50 from the zoo
 * and a generated 500-layer residual net. Writes bench/results/analyze.json. Target: < 200 ms for 500 layers.
 * Run: npx tsx bench/analyze.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { analyzeGraph } from '../src/analyze/index.js';
import { parseModelJson } from '../src/graph/index.js';
import { buildZooModel } from '../src/zoo/index.js';

/** A functional model.json of `blocks` residual blocks (conv→BN→ReLU→conv→BN→add→ReLU: 6 layers each). */
function generatedNet(blocks: number): unknown {
  const layers: unknown[] = [];
  const add = (name: string, className: string, config: object, inputs: string[]) =>
    layers.push({
      name,
      class_name: className,
      config: { name, ...config },
      inbound_nodes: inputs.length ? [inputs.map((i) => [i, 0, 0, {}])] : [],
    });
  add('input', 'InputLayer', { batch_input_shape: [null, 32, 32, 3] }, []);
  add('stem', 'Conv2D', { filters: 32, kernel_size: [3, 3], padding: 'same', use_bias: false }, ['input']);
  let prev = 'stem';
  for (let b = 0; b < blocks; b++) {
    add(`b${b}_c1`, 'Conv2D', { filters: 32, kernel_size: [3, 3], padding: 'same', use_bias: false }, [prev]);
    add(`b${b}_bn1`, 'BatchNormalization', {}, [`b${b}_c1`]);
    add(`b${b}_r1`, 'ReLU', {}, [`b${b}_bn1`]);
    add(`b${b}_c2`, 'Conv2D', { filters: 32, kernel_size: [3, 3], padding: 'same', use_bias: false }, [
      `b${b}_r1`,
    ]);
    add(`b${b}_bn2`, 'BatchNormalization', {}, [`b${b}_c2`]);
    add(`b${b}_add`, 'Add', {}, [prev, `b${b}_bn2`]);
    prev = `b${b}_add`;
  }
  add('gap', 'GlobalAveragePooling2D', {}, [prev]);
  add('fc', 'Dense', { units: 10 }, ['gap']);
  return {
    modelTopology: {
      class_name: 'Model',
      config: { name: 'generated', layers, input_layers: [['input', 0, 0]], output_layers: [['fc', 0, 0]] },
    },
  };
}

function time(
  json: unknown,
  runs: number,
): { medianMs: number; minMs: number; maxMs: number; layers: number } {
  const times: number[] = [];
  let layers = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const report = analyzeGraph(parseModelJson(JSON.parse(JSON.stringify(json))));
    times.push(performance.now() - t0);
    layers = report.layers.length;
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(runs / 2)], minMs: times[0], maxMs: times[runs - 1], layers };
}

async function main() {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  const resnet = buildZooModel('resnet50', { inputShape: [224, 224, 3], classes: 1000 });
  const resnetJson = { modelTopology: resnet.toJSON(undefined, false) };
  resnet.dispose();
  const generated = generatedNet(83); // 2 + 83·6 + 2 = 502 layers
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    note: 'in-process analyze (JSON parse of the topology, graph, groups, per-layer costs), 20 runs after 3 warm-up runs',
    resnet50: (time(resnetJson, 3), time(resnetJson, 20)),
    generated500: (time(generated, 3), time(generated, 20)),
    targetMs: 200,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/analyze.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

await main();
