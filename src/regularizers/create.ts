/** Picks the network regularizer for a target and a switch kind. */
import type { Target } from '../cost/index.js';
import type { ModelGraph } from '../graph/types.js';
import { NetworkRegularizer, type RegularizerOptions, type SwitchKind } from './network-regularizer.js';

/**
 * The regularizer for a target. `switchKind` defaults to `gamma` when the model has any BatchNorm γ source
 * and to `kernel` (group lasso) otherwise.
 */
export function createRegularizer(
  graph: ModelGraph,
  target: Target,
  options: RegularizerOptions & { switchKind?: SwitchKind } = {},
): NetworkRegularizer {
  let kind = options.switchKind;
  if (!kind) {
    const hasGamma = [...graph.layers.values()].some(
      (l) => l.className === 'BatchNormalization' && l.weights.some((w) => w.shortName === 'gamma'),
    );
    kind = hasGamma ? 'gamma' : 'kernel';
  }
  return new NetworkRegularizer(graph, target, kind, options);
}
