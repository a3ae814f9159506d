/**
 * SeparableConv2D (alias SeparableConvolution2D): a depthwise part (multiplier m, no bias) tied to its
 * input channels, then a 1×1 pointwise part that starts a new group at the output (switched by the
 * pointwise kernel). Cost = depthwise + 1×1. tf.js 4.22 neither writes `depth_multiplier` (completed
 * here from the depthwise kernel) nor reads configs carrying `kernel_*` fields, which newer Keras
 * writes for this class (dropped before tf.js reads them).
 */
import { area, elementwiseMemory, FLOAT_BYTES, terms } from '../cost/bilinear.js';
import { separableConv2d as emitter } from '../engine/onnx/layers/separable-conv2d.js';
import { startGroup } from './channels.js';
import { resizeWidth } from './kernel.js';
import { depthwiseTapSum } from './depthwise-conv2d.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim, parseConv, taps, windowExact, windowShape, type ConvArgs } from './window.js';
import { fusedActivation, opPositions, part } from '../latency/parts.js';

/** The map of a depthwise output `c·m + j` from the map of its input channel c. */
export function repeatMap(map: Int32Array, m: number): Int32Array {
  const out = new Int32Array(map.length * m);
  for (let c = 0; c < map.length; c++)
    for (let j = 0; j < m; j++) out[c * m + j] = map[c] < 0 ? -1 : map[c] * m + j;
  return out;
}

/** Keras' SeparableConv2D config fields that tf.js refuses (it has depthwise_/pointwise_ ones instead). */
const KERAS_ONLY_FIELDS = ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'];

const definition: LayerDefinition<ConvArgs> = {
  names: ['SeparableConv2D'],
  aliases: { SeparableConvolution2D: 'SeparableConv2D' },
  parse: parseConv,
  outputShape: (inputs, a) => windowShape(inputs, a, a.filters, 'a convolution'),
  weights(inputs, a) {
    const c = lastDim(inputs[0]);
    const m = a.depthMultiplier;
    return [
      { shortName: 'depthwise_kernel', shape: [...a.kernelSize, c, m], trainable: true },
      { shortName: 'pointwise_kernel', shape: [1, 1, c * m, a.filters], trainable: true },
      ...(a.useBias ? [{ shortName: 'bias', shape: [a.filters], trainable: true }] : []),
    ];
  },
  channels: (ctx) => startGroup(ctx, 'pointwise_kernel', 3),
  cost(resource, op, a) {
    const k = taps(a);
    const m = a.depthMultiplier;
    const out = area(op.outputShapes[0]);
    switch (resource) {
      case 'flops':
        return terms({ a: 2 * out * m, b: 2 * k * out * m, bLoss: 2 * k * out * (1 + m) });
      case 'size':
        return terms({ a: m, b: k * m, bLoss: k * (1 + m) });
      case 'params':
        return terms({ a: m, b: k * m, c: a.useBias ? 1 : 0 });
      case 'memory': {
        const io = elementwiseMemory(op);
        return terms({ a: m * FLOAT_BYTES, b: io.b + k * m * FLOAT_BYTES, c: io.c });
      }
      case 'activations':
        return terms({ c: 1 });
    }
  },
  // depthwise on Cin (×m channels at the output size), then a 1×1 conv from Cin·m to Cout
  latency(op, a) {
    const { pIn, pOut } = opPositions(op);
    const k = taps(a);
    const m = a.depthMultiplier;
    return [
      part('depthwise', 0, pIn + k * pOut * m, 0, 1, { wb: k * m }),
      part('conv1x1', pOut * m, pOut * m, pOut, 1, { wa: m }),
      ...fusedActivation(a.activation, pOut),
    ];
  },
  owner: { widthKey: 'filters', kernel: 'pointwise_kernel', axis: 3 },
  activation: (a) => a.activation,
  axisMaps(shortName, io, a) {
    if (shortName === 'depthwise_kernel') return [[2, io.input]];
    if (shortName === 'pointwise_kernel')
      return [
        [2, io.input && repeatMap(io.input, a.depthMultiplier)],
        [3, io.output],
      ];
    return [[0, io.output]];
  },
  fold({ input, deadEntries, weight }, a) {
    const dw = weight('depthwise_kernel')!;
    const pw = weight('pointwise_kernel')!;
    const m = a.depthMultiplier;
    const out = pw.shape[3];
    const delta = new Float64Array(out);
    for (const c of deadEntries)
      for (let j = 0; j < m; j++) {
        const inner = input.value[c] * depthwiseTapSum(dw, c, j);
        for (let o = 0; o < out; o++) delta[o] += pw.values[(c * m + j) * out + o] * inner;
      }
    return delta;
  },
  foldExact: windowExact,
  resize: resizeWidth('filters'),
  emitter,
  tfjs: {
    availability: 'native',
    prepareConfig(config) {
      for (const key of KERAS_ONLY_FIELDS) delete config[key];
    },
    completeConfig(config, weightShape) {
      if (config['depth_multiplier'] !== undefined) return;
      const dw = weightShape('depthwise_kernel');
      if (dw) config['depth_multiplier'] = dw[3];
    },
  },
};

/** SeparableConv2D in the registry. */
export const separableConv2d = defineLayer(definition);
