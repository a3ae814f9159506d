/**
 * PReLU: channel-preserving with a per-channel (or per-position) slope α, so a shared PReLU ties its
 * applications. A dead constant k stays k when k ≥ 0, else α·k (when α is shared over positions).
 */
import { elementwiseMemory, terms } from '../cost/bilinear.js';
import { passThroughOwned } from './channels.js';
import { defineLayer, type LayerDefinition } from './types.js';

/** PReLU's config: the axes (1-based, after the batch) whose α is shared. */
export interface PReLUArgs {
  sharedAxes: number[];
}

const definition: LayerDefinition<PReLUArgs> = {
  names: ['PReLU'],
  parse(config) {
    const shared = config['shared_axes'];
    const axes = shared === null || shared === undefined ? [] : Array.isArray(shared) ? shared : [shared];
    return { sharedAxes: axes.map(Number) };
  },
  outputShape: (inputs) => [...inputs[0]],
  weights(inputs, a) {
    const shape = [...inputs[0]];
    for (const axis of a.sharedAxes) shape[axis - 1] = 1;
    return [{ shortName: 'alpha', shape, trainable: true }];
  },
  channels: (ctx) => void passThroughOwned(ctx),
  cost(resource, op, _a, layer) {
    if (resource === 'memory') return elementwiseMemory(op);
    if (resource !== 'params') return undefined;
    const alpha = layer.weights[0]?.shape ?? [];
    return terms({ c: alpha.slice(0, -1).reduce((s, d) => s * d, 1) });
  },
  axisMaps: (_shortName, io) => [[io.rank - 1, io.output]],
  constant(ctx) {
    const src = ctx.input(0);
    const alpha = ctx.weight('alpha');
    const spatialShared = alpha ? alpha.values.length === alpha.shape[alpha.shape.length - 1] : false;
    for (let i = 0; i < ctx.size; i++) {
      if (!ctx.dead(i)) continue;
      const k = src.value[i];
      if (k >= 0) ctx.out.value[i] = k;
      else if (spatialShared && alpha) ctx.out.value[i] = alpha.values[i] * k;
      ctx.out.exact[i] = src.exact[i];
    }
  },
  tfjs: { availability: 'native' },
};

/** PReLU in the registry. */
export const prelu = defineLayer(definition);
