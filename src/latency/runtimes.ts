/**
 * The two runtimes a profile is measured on, behind one interface: `onnx-cpu` runs the model's exported
 * inference graph in onnxruntime-node's CPU provider; `tfjs-wasm` runs `model.predict` on tf.js' wasm
 * backend. Either way one timed call is what a user's batch-1 prediction does: wrap the input, run the
 * model, read the output.
 */
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../backend/index.js';
import { loadOrt } from '../engine/onnx/runtime.js';
import { MorphnetError } from '../errors.js';
import { exportOnnx } from '../export/onnx.js';
import type { RuntimeName } from './profile.js';

/** A model ready for timed batch-1 predictions. */
export interface PreparedModel {
  /** One prediction: input in, output read back. */
  run(): Promise<void>;
  dispose(): Promise<void>;
}

/** A runtime open for measurement. */
export interface LatencyRuntime {
  name: RuntimeName;
  /** The package that runs the models and its version. */
  packageName: string;
  version: string;
  threads: number | 'default';
  prepare(model: tf.LayersModel): Promise<PreparedModel>;
  /** Gives back what opening changed (the tf.js backend). */
  close(): Promise<void>;
}

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** Intra-op threads (default: the runtime's own default). */
  threads?: number;
}

/** The model's input shape without the batch; refuses unknown sizes. */
function inputShape(model: tf.LayersModel): number[] {
  const shape = model.inputs[0].shape.slice(1);
  if (model.inputs.length !== 1 || shape.some((d) => d == null))
    throw new MorphnetError(
      `timing "${model.name}" needs one input of known size, it takes [${model.inputs.map((i) => i.shape.join(', ')).join('], [')}]`,
    );
  return shape as number[];
}

/** A fixed pseudo-random input in [0, 1) (the same on every call). */
function sampleInput(shape: number[]): Float32Array {
  const n = shape.reduce((s, d) => s * d, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1);
}

async function openOnnxCpu(threads: number | 'default'): Promise<LatencyRuntime> {
  const ort = await loadOrt();
  return {
    name: 'onnx-cpu',
    packageName: 'onnxruntime-node',
    version: ort.env.versions.node ?? ort.env.versions.common ?? 'unknown',
    threads,
    async prepare(model) {
      const shape = [1, ...inputShape(model)];
      const session = await ort.InferenceSession.create(
        await exportOnnx(model),
        threads === 'default' ? {} : { intraOpNumThreads: threads },
      );
      const data = sampleInput(shape);
      const [input] = session.inputNames;
      const [output] = session.outputNames;
      return {
        async run() {
          const result = await session.run({ [input]: new ort.Tensor('float32', data, shape) });
          void result[output].data;
        },
        dispose: () => session.release(),
      };
    },
    close: async () => {},
  };
}

async function openTfjsWasm(threads: number | 'default'): Promise<LatencyRuntime> {
  if (threads !== 'default' && threads !== 1)
    throw new MorphnetError(
      `tfjs-wasm runs single-threaded in Node (the threaded wasm build needs browser workers), so it cannot run ${threads} threads`,
    );
  const previous = tf.getBackend();
  await useBackend('wasm');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'simd' : 'no simd';
  return {
    name: 'tfjs-wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    version: `${wasm.version_wasm} (${simd})`,
    threads,
    async prepare(model) {
      const shape = [1, ...inputShape(model)];
      const data = sampleInput(shape);
      return {
        async run() {
          const x = tf.tensor(data, shape);
          const y = model.predict(x) as tf.Tensor;
          await y.data();
          x.dispose();
          y.dispose();
        },
        dispose: async () => {},
      };
    },
    async close() {
      if (previous && previous !== tf.getBackend()) await tf.setBackend(previous);
    },
  };
}

/** Opens a runtime for measurement (the tf.js backend switches to wasm until `close`). */
export function openRuntime(name: RuntimeName, options: RuntimeOptions = {}): Promise<LatencyRuntime> {
  const threads = options.threads ?? 'default';
  return name === 'onnx-cpu' ? openOnnxCpu(threads) : openTfjsWasm(threads);
}
