/** Model files on disk: tf.js layers-model format, no tfjs-node. */
export {
  saveModel,
  loadModel,
  readModelJson,
  modelJsonFor,
  MODEL_JSON,
  WEIGHTS_BIN,
  type ModelJsonFile,
} from './model-files.js';
