/** Learned structure ↔ JSON, pruning with weights, and width expansion to a budget. */
export { parseBudget, parseAmount } from './budget.js';
export {
  decideAlive,
  channelNorms,
  reviveDeadGroups,
  type DecideOptions,
  type AliveDecision,
} from './decide.js';
export {
  structureSchema,
  structureFromAlive,
  parseStructure,
  readStructureFile,
  aliveFromStructure,
  isStructureJson,
  type Structure,
  type StructureInfo,
} from './structure-file.js';
export { pruneModel, outputDifference, type PruneOptions, type PruneResult } from './prune.js';
export type { FoldNote } from './fold.js';
export { ownerLayers, OWNER_CLASSES, type OwnerLayer } from './owners.js';
export { readWeights, type WeightValues } from './weights.js';
export {
  expandModel,
  uniformModel,
  searchWidths,
  architectureCost,
  planAt,
  groupWidth,
  type WidthOptions,
  type WidthSearch,
  type ExpandOptions,
  type ExpandResult,
} from './expand.js';
export { modelTopology } from '../graph/index.js';
export type { WidthPlan } from './rebuild.js';
export { saveStructuredModel, STRUCTURE_JSON } from './save.js';
export { compareCosts, formatCostTable, type CostComparison, type CostSide } from './report.js';
export { loadModelArg, readModelArgJson, type LoadedModel } from './model-arg.js';
