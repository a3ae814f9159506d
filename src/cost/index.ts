/** The cost model: FLOPs, size, parameters, activations and latency as functions of alive channels. */
export {
  HARDWARE,
  HARDWARE_NAMES,
  MEASURED_HARDWARE,
  hardware,
  isMeasuredName,
  registerHardware,
  type Hardware,
  type MeasuredHardware,
  type RooflineHardware,
} from './hardware.js';
export { opTerms, evalTerms, evalLoss, type CostTerms, type BilinearResource } from './terms.js';
export { latencyCost, latencyLoss, scaleTerms } from './latency.js';
export {
  modelCost,
  layerCosts,
  opCost,
  opCostAt,
  aliveCounts,
  TARGETS,
  TARGET_UNITS,
  type Target,
  type AliveMask,
  type LayerCost,
} from './model-cost.js';
