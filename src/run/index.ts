/** The main job: the full MorphNet shrink → expand → retrain cycle against the uniform baseline. */
export { runMorphNet } from './pipeline.js';
export { modelFigures, modelWidths, testAccuracy, addMeasuredLatency } from './figures.js';
export { reinitialize } from './reinitialize.js';
export type { RunOptions, RunResult, PhaseEvent } from './types.js';
