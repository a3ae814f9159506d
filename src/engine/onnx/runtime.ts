/** Loads onnxruntime-node on demand (so the tfjs engine works where it is missing) and makes sessions. */
import { availableParallelism } from 'node:os';

/** The onnxruntime-node module. */
export type Ort = typeof import('onnxruntime-node');

let loading: Promise<Ort> | null = null;

/** Imports onnxruntime-node once; rejects when it cannot load on this platform. */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-node');
  return loading;
}

/** Default intra-op threads: every core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Creates an inference session with the settings the research note found fastest. */
export async function createSession(ort: Ort, bytes: Uint8Array, threads: number) {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}
