/**
 * Conv2D (alias Convolution2D): `FLOPs = 2·kh·kw·Cin·Cout·Hout·Wout`, size `kh·kw·Cin·Cout`. Consumes its
 * input group and starts a new one at its output (switched by the kernel's output slices); a grouped
 * convolution is kept whole (its cost is exact: every input channel reaches Cout/groups outputs). Dead
 * inputs fold into its bias through the summed taps.
 */
import { area } from '../cost/bilinear.js';
import { kernelAxisMaps, kernelTerms, resizeWidth } from './kernel.js';
import { conv2d as emitter } from '../engine/onnx/layers/conv2d.js';
import { keepWhole, startGroup } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim, parseConv, taps, windowExact, windowShape, type ConvArgs } from './window.js';
import { fusedActivation, opPositions, part } from '../latency/parts.js';

const definition: LayerDefinition<ConvArgs> = {
  names: ['Conv2D'],
  aliases: { Convolution2D: 'Conv2D' },
  parse: parseConv,
  outputShape: (inputs, a) => windowShape(inputs, a, a.filters, 'a convolution'),
  weights: (inputs, a) => [
    {
      shortName: 'kernel',
      shape: [...a.kernelSize, lastDim(inputs[0]) / a.groups, a.filters],
      trainable: true,
    },
    ...(a.useBias ? [{ shortName: 'bias', shape: [a.filters], trainable: true }] : []),
  ],
  channels(ctx, a) {
    if (a.groups > 1) keepWhole(ctx);
    else startGroup(ctx, 'kernel', 3);
  },
  // a grouped kernel connects each output to Cin/groups inputs
  cost: (resource, op, a) => {
    const k = taps(a) / a.groups;
    return kernelTerms(resource, op, k, 2 * k * area(op.outputShapes[0]), a.useBias);
  },
  latency(op, a) {
    const { pIn, pOut } = opPositions(op);
    const k = taps(a);
    return [
      part(k === 1 ? 'conv1x1' : 'conv', k * pOut, pIn, pOut, 1, { wa: k }),
      ...fusedActivation(a.activation, pOut),
    ];
  },
  owner: { widthKey: 'filters', kernel: 'kernel', axis: 3 },
  activation: (a) => a.activation,
  axisMaps: kernelAxisMaps(2, 3),
  fold({ input, deadEntries, weight }) {
    const k = weight('kernel')!;
    const [kh, kw, cin, out] = k.shape;
    const delta = new Float64Array(out);
    for (let t = 0; t < kh * kw; t++)
      for (const i of deadEntries)
        for (let o = 0; o < out; o++) delta[o] += k.values[(t * cin + i) * out + o] * input.value[i];
    return delta;
  },
  foldExact: windowExact,
  resize: resizeWidth('filters'),
  emitter,
  tfjs: { availability: 'native' },
};

/** Conv2D in the registry. */
export const conv2d = defineLayer(definition);
