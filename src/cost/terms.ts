/**
 * Per-op cost as a function of the op's alive input and output channels, in morph-net's bilinear form
 * (see `bilinear.ts`), read from the op's registered class. nIn counts every input channel (all inputs; a
 * Flatten output's H·W entries per channel), nOut every output channel. Per example (batch 1); FLOPs =
 * 2 × MACs. A class without per-channel terms costs nothing, except its weights' count in `params`.
 */
import type { LayerInfo, OpNode } from '../graph/types.js';
import { layerClass } from '../layers/index.js';
import { terms, ZERO, type BilinearResource, type CostTerms } from './bilinear.js';

export { evalLoss, evalTerms, type BilinearResource, type CostTerms } from './bilinear.js';

/** The bilinear cost terms of an op for a resource. */
export function opTerms(op: OpNode, layer: LayerInfo, resource: BilinearResource): CostTerms {
  if (resource === 'params' && layer.ops[0] !== op.id) return ZERO; // a shared layer's weights count once
  const own = layerClass(op.className)?.cost(resource, op, layer);
  if (own) return own;
  // A layer we do not model per channel: its whole weight count, constant.
  return resource === 'params' ? terms({ d: layer.params }) : ZERO;
}
