/**
 * Conv2DTranspose: kernel `[kh, kw, out, in]` (output channels on axis 2); `FLOPs = 2·kh·kw·Cin·Cout·Hin·Win`.
 * Starts a new group at its output like Conv2D. Constants are not folded into it; the onnx engine does
 * not compile it (trains on tfjs).
 */
import { area } from '../cost/bilinear.js';
import { kernelAxisMaps, kernelTerms, resizeWidth } from './kernel.js';
import { startGroup } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim, parseConv, spatialInput, taps, windowExact, type ConvArgs } from './window.js';
import { fusedActivation, opPositions, part } from '../latency/parts.js';

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
  // each input pixel spreads over a kh×kw window of the output
  cost: (resource, op, a) =>
    kernelTerms(resource, op, taps(a), 2 * taps(a) * area(op.inputShapes[0]), a.useBias),
  latency(op, a) {
    const { pIn, pOut } = opPositions(op);
    const k = taps(a);
    return [part('conv', k * pIn, pIn, pOut, 1, { wa: k }), ...fusedActivation(a.activation, pOut)];
  },
  owner: { widthKey: 'filters', kernel: 'kernel', axis: 2 },
  activation: (a) => a.activation,
  axisMaps: kernelAxisMaps(3, 2),
  foldExact: windowExact,
  resize: resizeWidth('filters'),
  tfjs: { availability: 'native' },
};

/** Conv2DTranspose in the registry. */
export const conv2dTranspose = defineLayer(definition);
