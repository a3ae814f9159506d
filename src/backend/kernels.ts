/**
 * Registers the training kernels the wasm backend lacks (or has only in a slow form). Registration is
 * idempotent and keeps the replaced kernel's setup/dispose functions, so the wasm backend initialises
 * as before whether it starts before or after this call.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv-grad.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-grad.js';
import { installBatchNormGradient } from './batchnorm-grad.js';
import { installMaskGradients } from './mask-grad.js';
import { maxPoolGradConfig } from './maxpool-grad.js';
import { meanConfig, setFallback, sumConfig } from './reduce.js';

/** Our wasm kernels, by kernel name. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  sumConfig,
  meanConfig,
  maxPoolGradConfig,
];

/**
 * Registers our wasm training kernels, the broadcast BatchNorm gradient and the one-pass activation
 * gradients once; safe to call again.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current != null) {
      setFallback(current);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel({ ...config, setupFunc: current?.setupFunc, disposeFunc: current?.disposeFunc });
  }
  installBatchNormGradient();
  installMaskGradients();
}
