/** The backend names `useBackend` accepts (no tf.js import: the CLI checks options before loading it). */

/** The backends `useBackend` knows. */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';

/** Every accepted backend name, in the order the CLI lists them. */
export const backendNames: readonly BackendName[] = ['wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'];

/** Whether `name` is one of the backend names `useBackend` accepts. */
export function isBackendName(name: string): name is BackendName {
  return (backendNames as readonly string[]).includes(name);
}
