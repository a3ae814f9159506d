/** Loads tf.js for CLI use without its "install tfjs-node" banner on our output. */
import * as tf from '@tensorflow/tfjs';

/** Turns off tf.js' console banner and debug warnings (PROD mode), then waits for the backend. */
export async function quietTfjs(): Promise<typeof tf> {
  tf.env().set('PROD', true);
  await tf.ready();
  return tf;
}
