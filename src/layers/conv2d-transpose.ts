/**
 * Conv2DTranspose: kernel `[kh, kw, out, in]` (output channels on axis 2); `FLOPs = 2·kh·kw·Cin·Cout·Hin·Win`.
 * Starts a new group at its output like Conv2D. Constants are not folded into it; the onnx engine does
 * not compile it (trains on tfjs).
 */
import { area, elementwiseMemory, FLOAT_BYTES, terms } from '../cost/bilinear.js';
import { startGroup } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim, parseConv, spatialInput, taps, windowExact, type ConvArgs } from './window.js';

const definition: LayerDefinition<ConvArgs> = {
  names: ['Conv2DTranspose'],
  parse: parseConv,
  outputShape(inputs, a) {
    const [h, w] = spatialInput(inputs, 'Conv2DTranspose');
    const len = (n: number, k: number, s: number) =>
      a.padding === 'same' ? n * s : n * s + Math.max(k - s, 0);
    return [len(h, a.kernelSize[0], a.strides[0]), len(w, a.kernelSize[1], a.strides[1]), a.filters];
  },
  weights: (inputs, a) => [
    { shortName: 'kernel', shape: [...a.kernelSize, a.filters, lastDim(inputs[0])], trainable: true },
    ...(a.useBias ? [{ shortName: 'bias', shape: [a.filters], trainable: true }] : []),
  ],
  channels: (ctx) => startGroup(ctx, 'kernel', 2),
  cost(resource, op, a) {
    const k = taps(a);
    switch (resource) {
      case 'flops':
        return terms({ a: 2 * k * area(op.inputShapes[0]) });
      case 'size':
        return terms({ a: k });
      case 'params':
        return terms({ a: k, c: a.useBias ? 1 : 0 });
      case 'memory': {
        const io = elementwiseMemory(op);
        return terms({ a: k * FLOAT_BYTES, b: io.b, c: io.c });
      }
      case 'activations':
        return terms({ c: 1 });
    }
  },
  owner: { widthKey: 'filters', kernel: 'kernel', axis: 2 },
  activation: (a) => a.activation,
  axisMaps: (shortName, io) =>
    shortName === 'kernel'
      ? [
          [2, io.output],
          [3, io.input],
        ]
      : [[0, io.output]],
  foldExact: windowExact,
  resize(config, widths) {
    config['filters'] = widths.output;
  },
  tfjs: { availability: 'native' },
};

/** Conv2DTranspose in the registry. */
export const conv2dTranspose = defineLayer(definition);
