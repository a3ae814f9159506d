/**
 * Backend selection: one function picks the tf.js backend, loads the package it needs, installs our
 * training kernels where the backend needs them, and keeps the tfjs "install tfjs-node" banner quiet.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './kernels.js';

import { backendNames, isBackendName, type BackendName } from './names.js';

export { backendNames, isBackendName, type BackendName };

/** The package each backend comes from (cpu and webgl ship inside @tensorflow/tfjs). */
const backendPackages: Record<BackendName, string | null> = {
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: null,
  tensorflow: '@tensorflow/tfjs-node',
  webgl: null,
  webgpu: '@tensorflow/tfjs-backend-webgpu',
};

/** True when running under Node.js (not a browser or worker). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node != null;
}

/**
 * Keeps the "looks like you are running TensorFlow.js in Node.js" banner off stdout/stderr: the cpu
 * backend prints it on its first write unless told it has been used already.
 */
export function silenceTfjsBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu != null && 'firstUse' in cpu) cpu.firstUse = false;
}

async function loadBackendPackage(name: BackendName): Promise<void> {
  const pkg = backendPackages[name];
  if (pkg == null || tf.findBackendFactory(name) != null) return;
  try {
    await import(pkg);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`backend '${name}' needs the npm package ${pkg}, which could not be loaded (${why})`);
  }
}

/**
 * Selects the tf.js backend `name` (default: `wasm` in Node, tf.js' own choice elsewhere), loading its
 * package and our training kernels. Idempotent; resolves after `tf.ready()` with
 * `tf.getBackend() === name`, and returns that name.
 */
export async function useBackend(name?: BackendName): Promise<string> {
  silenceTfjsBanner();
  if (name == null && !isNode()) {
    await tf.ready();
    return tf.getBackend();
  }
  const wanted: BackendName = name ?? 'wasm';
  if (!isBackendName(wanted)) {
    throw new Error(`unknown backend '${String(wanted)}': expected one of ${backendNames.join(', ')}`);
  }
  await loadBackendPackage(wanted);
  if (wanted === 'wasm') registerWasmTrainingKernels();
  if (tf.getBackend() !== wanted || tf.findBackend(wanted) == null) {
    let ok = false;
    try {
      ok = await tf.setBackend(wanted);
    } catch {
      ok = false;
    }
    if (!ok) throw new Error(`the tf.js backend '${wanted}' could not be initialised on this platform`);
  }
  await tf.ready();
  return tf.getBackend();
}
