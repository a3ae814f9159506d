/** MorphNet's network regularizers: cost-weighted sparsifying terms on BatchNorm γ or kernel norms. */
export { aliveMask, classValues, keepStrongest, type RevivedGroup, type SourceValues } from './alive.js';
export {
  NetworkRegularizer,
  type RegularizerOptions,
  type RegularizerState,
  type SwitchKind,
} from './network-regularizer.js';
export {
  GammaActivation,
  GammaFlops,
  GammaLatency,
  GammaModelSize,
  GroupLassoFlops,
  GroupLassoModelSize,
} from './variants.js';
export { createRegularizer } from './create.js';
export { rmsPerChannel, switchValues, channelSize, type WeightValues } from './switch-values.js';
export { lossTensor, switchTensor, type TensorLookup } from './loss-tensor.js';
export { readWeights, weightTensors, weightVariables } from './model-weights.js';
export type { UnregularizedGroup } from './unregularized.js';
