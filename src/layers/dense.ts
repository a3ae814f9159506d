/**
 * Dense over the last axis: `FLOPs = 2·in·out` per position. Starts a new group at its output (switched
 * by the kernel's output columns); after a Flatten its input rows map back to channels. Dead inputs fold
 * into its bias exactly.
 */
import { activationName, bool, num } from '../graph/config.js';
import { positions } from '../cost/bilinear.js';
import { kernelAxisMaps, kernelTerms, resizeWidth } from './kernel.js';
import { dense as emitter } from '../engine/onnx/layers/dense.js';
import { startGroup } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { lastDim } from './window.js';
import { fusedActivation, opPositions, part } from '../latency/parts.js';

/** Dense's config. */
export interface DenseArgs {
  units: number;
  useBias: boolean;
  activation: string;
}

const definition: LayerDefinition<DenseArgs> = {
  names: ['Dense'],
  parse: (config) => ({
    units: num(config, 'units', 0),
    useBias: bool(config, 'use_bias', true),
    activation: activationName(config),
  }),
  outputShape: (inputs, a) => [...inputs[0].slice(0, -1), a.units],
  weights: (inputs, a) => [
    { shortName: 'kernel', shape: [lastDim(inputs[0]), a.units], trainable: true },
    ...(a.useBias ? [{ shortName: 'bias', shape: [a.units], trainable: true }] : []),
  ],
  channels: (ctx) => startGroup(ctx, 'kernel', 1),
  cost: (resource, op, a) => kernelTerms(resource, op, 1, 2 * positions(op.outputShapes[0]), a.useBias),
  latency(op, a) {
    const { pIn, pOut } = opPositions(op);
    return [part('dense', pOut, pIn, pOut, 1, { wa: 1 }), ...fusedActivation(a.activation, pOut)];
  },
  owner: { widthKey: 'units', kernel: 'kernel', axis: 1 },
  activation: (a) => a.activation,
  axisMaps: kernelAxisMaps(0, 1),
  fold({ input, deadEntries, weight }) {
    const k = weight('kernel')!;
    const [, out] = k.shape;
    const delta = new Float64Array(out);
    for (const i of deadEntries)
      for (let o = 0; o < out; o++) delta[o] += k.values[i * out + o] * input.value[i];
    return delta;
  },
  foldExact: () => true,
  resize: resizeWidth('units'),
  emitter,
  tfjs: { availability: 'native' },
};

/** Dense in the registry. */
export const dense = defineLayer(definition);
