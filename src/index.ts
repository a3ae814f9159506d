/**
 * morphnet: MorphNet for TypeScript and TensorFlow.js. Read a tf.js Layers model as an op graph, find the
 * channels that must be pruned together, cost them (FLOPs, size, latency), learn a structure for a budget,
 * and hand back a real, smaller or better model.
 */
export { MorphnetError } from './errors.js';
export { parseModelJson, readGraphFile, graphFromModel, readModelFile, opId } from './graph/index.js';
export type {
  ModelGraph,
  OpNode,
  LayerInfo,
  TensorInfo,
  WeightSpec,
  Shape,
  LayerConfig,
  GraphOptions,
} from './graph/index.js';
export { classSupport, registeredNames, layerClass, canonicalClass } from './layers/index.js';
export type { KerasClassName, ClassSupport, LayerClass, LayerDefinition } from './layers/index.js';
export { NormalizationLayer } from './layers/tfjs/normalization-layer.js';
export { analyzeGroups } from './groups/index.js';
export type { ChannelGroup, GroupAnalysis, SourceSpec, PinReason } from './groups/index.js';
export {
  HARDWARE,
  HARDWARE_NAMES,
  MEASURED_HARDWARE,
  hardware,
  registerHardware,
  opTerms,
  evalTerms,
  evalLoss,
  latencyCost,
  latencyLoss,
  modelCost,
  layerCosts,
  opCost,
  opCostAt,
  aliveCounts,
  TARGETS,
  TARGET_UNITS,
} from './cost/index.js';
export type {
  Hardware,
  RooflineHardware,
  MeasuredHardware,
  CostTerms,
  Target,
  AliveMask,
  LayerCost,
} from './cost/index.js';
export { analyzeGraph, formatAnalysis, withMeasurement } from './analyze/index.js';
export type { AnalysisReport, EndToEndLatency } from './analyze/index.js';
export {
  measuredHardware,
  measureModelLatency,
  measureSideBySide,
  measureProfile,
  profileHardware,
  fitProfile,
  cacheDir,
} from './latency/index.js';
export type {
  LatencyProfile,
  LoadedHardware,
  MeasuredHardwareOptions,
  LatencyStats,
  LatencyKind,
  KindCoefficients,
} from './latency/index.js';
export { exportOnnx, writeOnnx } from './export/onnx.js';
export { buildZooModel, zooNames, zooDefaults, layerSeed } from './zoo/index.js';
export type { ZooOptions } from './zoo/index.js';
export { aliveMask, classValues } from './regularizers/alive.js';
export {
  loadDataset,
  DATASET_NAMES,
  splitValidation,
  subset,
  batches,
  batchCount,
  oneHot,
  toTensors,
  checkDataFitsModel,
  readIdx,
  loadIdxFolder,
  loadMnist,
  loadFashionMnist,
  generateSynthetic,
  mulberry32,
  permutation,
  loadImageFolder,
  imageFolderSources,
  scanImageFolder,
  splitSource,
  iterableSource,
  toBatchSource,
  sourceBatchTensors,
  decodeImage,
  resizeBilinear,
  AUGMENTATIONS,
} from './data/index.js';
export type {
  Dataset,
  Split,
  ImageShape,
  LoadOptions,
  Batch,
  BatchSource,
  SourceBatch,
  SourceOptions,
  EpochOptions,
  DataInput,
  BatchInput,
  TensorBatch,
  Augmentation,
  ImageFolder,
  ImageFolderSources,
  ImageFolderSourceOptions,
  LoadImageFolderOptions,
  LabelMode,
} from './data/index.js';
export { renderReport, writeReport } from './report/index.js';
export type {
  Summary,
  History,
  HistoryStep,
  StructureFile,
  ParetoResults,
  ParetoEntry,
  ReportInput,
  ModelFigures,
  Widths,
} from './report/index.js';
export {
  parseBudget,
  parseAmount,
  decideAlive,
  structureFromAlive,
  parseStructure,
  readStructureFile,
  aliveFromStructure,
  pruneModel,
  expandModel,
  uniformModel,
  searchWidths,
  saveStructuredModel,
  modelTopology,
} from './structure/index.js';
export type {
  Structure,
  PruneOptions,
  PruneResult,
  ExpandOptions,
  ExpandResult,
  WidthSearch,
  FoldNote,
} from './structure/index.js';
export {
  useBackend,
  silenceTfjsBanner,
  backendNames,
  isBackendName,
  type BackendName,
} from './backend/index.js';
export { saveModel, loadModel, readModelJson } from './io/index.js';
export {
  NetworkRegularizer,
  GammaFlops,
  GammaModelSize,
  GammaLatency,
  GammaActivation,
  GroupLassoFlops,
  GroupLassoModelSize,
  createRegularizer,
  keepStrongest,
  weightTensors,
} from './regularizers/index.js';
export type {
  RegularizerOptions,
  RegularizerState,
  SwitchKind,
  UnregularizedGroup,
} from './regularizers/index.js';
export { trainMorphNet, LambdaController, initialLambda } from './train/index.js';
export type { TrainOptions, TrainResult, HistoryEntry, Progress } from './train/index.js';
export { runMorphNet, reinitialize } from './run/index.js';
export type { RunOptions, RunResult, PhaseEvent } from './run/index.js';
export {
  createEngine,
  onnxUnsupportedReason,
  supportedClasses,
  LOSS_NAMES,
  resolveLoss,
  type Engine,
  type EngineOptions,
  type Evaluation,
  type GradientResult,
  type LossName,
} from './engine/index.js';
