/** Test helpers: tf.js on the cpu backend, and small builders. */
import * as tf from '@tensorflow/tfjs';

let ready: Promise<void> | undefined;

/** Selects the cpu backend once (quietly). */
export function cpuBackend(): Promise<void> {
  ready ??= (async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return ready;
}

/** Applies a layer to one or more symbolic tensors. */
export function apply(
  layer: tf.layers.Layer,
  input: tf.SymbolicTensor | tf.SymbolicTensor[],
): tf.SymbolicTensor {
  return layer.apply(input) as tf.SymbolicTensor;
}

export { tf };
