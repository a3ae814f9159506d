/**
 * DepthwiseConv2D (depth multiplier m): output channel c·m + j is input channel c filtered by its j-th
 * filter, so it is tied to it (no new group). Cost `2·kh·kw·C·m·Hout·Wout` with morph-net's depthwise
 * loss `C·(rIn + rOut)`. A dead input channel's constant k becomes `act(k·Σtaps + bias)`.
 */
import { area, elementwiseMemory, FLOAT_BYTES, terms } from '../cost/bilinear.js';
import { depthwiseConv2d as emitter } from '../engine/onnx/layers/depthwise-conv2d.js';
import { applyFusedActivation } from '../structure/activations.js';
import { consumeInput } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim, parseConv, taps, windowExact, windowShape, type ConvArgs } from './window.js';
import type { WeightValues } from '../structure/weights.js';
import { fusedActivation, opPositions, part } from '../latency/parts.js';

/** Sum of a depthwise kernel [kh, kw, C, m] over its taps, for channel c and multiplier j. */
export function depthwiseTapSum(dw: WeightValues, c: number, j: number): number {
  const [kh, kw, C, m] = dw.shape;
  let s = 0;
  for (let t = 0; t < kh * kw; t++) s += dw.values[(t * C + c) * m + j];
  return s;
}

const definition: LayerDefinition<ConvArgs> = {
  names: ['DepthwiseConv2D'],
  parse: parseConv,
  outputShape: (inputs, a) => windowShape(inputs, a, lastDim(inputs[0]) * a.depthMultiplier, 'a convolution'),
  weights(inputs, a) {
    const c = lastDim(inputs[0]);
    const m = a.depthMultiplier;
    return [
      { shortName: 'depthwise_kernel', shape: [...a.kernelSize, c, m], trainable: true },
      ...(a.useBias ? [{ shortName: 'bias', shape: [c * m], trainable: true }] : []),
    ];
  },
  channels(ctx, a) {
    const input = consumeInput(ctx);
    const m = a.depthMultiplier;
    const out = new Int32Array(input.length * m);
    for (let c = 0; c < input.length; c++) for (let j = 0; j < m; j++) out[c * m + j] = input[c];
    ctx.setOutput(out);
  },
  cost(resource, op, a) {
    const k = taps(a);
    switch (resource) {
      case 'flops':
        return terms({ c: 2 * k * area(op.outputShapes[0]), bLoss: 2 * k * area(op.outputShapes[0]) });
      case 'size':
        return terms({ c: k, bLoss: k });
      case 'params':
        return terms({ c: k + (a.useBias ? 1 : 0) });
      case 'memory': {
        const io = elementwiseMemory(op);
        return terms({ b: io.b, c: io.c + k * FLOAT_BYTES });
      }
      case 'activations':
        return terms({ c: 1 });
    }
  },
  latency(op, a) {
    const { pIn, pOut } = opPositions(op);
    const k = taps(a);
    return [part('depthwise', 0, pIn, k * pOut, 1, { wc: k }), ...fusedActivation(a.activation, pOut)];
  },
  axisMaps: (shortName, io) => (shortName === 'depthwise_kernel' ? [[2, io.input]] : [[0, io.output]]),
  constant(ctx, a) {
    const src = ctx.input(0);
    const dw = ctx.weight('depthwise_kernel');
    const bias = ctx.weight('bias');
    const m = a.depthMultiplier;
    const windowOk = windowExact(a);
    if (!dw) return;
    for (let i = 0; i < ctx.size; i++) {
      if (!ctx.dead(i)) continue;
      const c = Math.floor(i / m);
      const k = src.value[c];
      if (!Number.isFinite(k)) continue;
      ctx.out.value[i] = applyFusedActivation(
        a.activation,
        k * depthwiseTapSum(dw, c, i % m) + (bias ? bias.values[i] : 0),
      );
      ctx.out.exact[i] = src.exact[c] && (windowOk || k === 0) ? 1 : 0;
    }
  },
  emitter,
  tfjs: { availability: 'native' },
};

/** DepthwiseConv2D in the registry. */
export const depthwiseConv2d = defineLayer(definition);
