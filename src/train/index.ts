/** The MorphNet trainer: λ control toward a budget, history, checkpoints and resume on a training engine. */
export { trainMorphNet, splitAccuracy } from './trainer.js';
export {
  LambdaController,
  initialLambda,
  type LambdaControlOptions,
  type LambdaControlState,
} from './lambda-control.js';
export { setBnMomentum } from './bn-momentum.js';
export { readCheckpoint, type CheckpointState } from './checkpoint.js';
export type { History, HistoryEntry, Progress, TrainOptions, TrainResult } from './types.js';
