/** tf.js backend selection and the wasm backend's training kernels. */
export { useBackend, silenceTfjsBanner, isBackendName, backendNames, type BackendName } from './select.js';
export { registerWasmTrainingKernels, wasmTrainingKernels } from './kernels.js';
