/** Small test networks for the regularizer tests, and helpers to set and read their weights. */
import { readWeights, weightVariables } from '../../src/regularizers/index.js';
import { apply, tf } from '../helpers/tf.js';

/** Writes weights by manifest name. */
export function setWeights(model: tf.LayersModel, values: Record<string, number[]>): void {
  const vars = weightVariables(model);
  for (const [name, v] of Object.entries(values)) {
    const variable = vars.get(name);
    if (!variable) throw new Error(`no weight ${name}`);
    variable.write(tf.tensor(v, variable.shape as number[]));
  }
}

/** The model's weights as the regularizer reads them. */
export function weightsOf(model: tf.LayersModel, names: string[]) {
  return readWeights(model, names);
}

const bn = (name: string) => tf.layers.batchNormalization({ name });
const conv = (name: string, filters: number, k: number, strides = 1) =>
  tf.layers.conv2d({ name, filters, kernelSize: k, strides, padding: 'same', useBias: false });

/**
 * Residual net on [4,4,2]: c1 (1×1, 3) → bn1 → c2 (3×3, 3) → bn2 → add(bn1, bn2) → c3 (1×1, 2) → bn3 →
 * GAP → dense (2, the output).
 */
export function residualNet(): tf.LayersModel {
  const x = tf.input({ shape: [4, 4, 2], name: 'image' });
  const b1 = apply(bn('bn1'), apply(conv('c1', 3, 1), x));
  const b2 = apply(bn('bn2'), apply(conv('c2', 3, 3), b1));
  const sum = apply(tf.layers.add({ name: 'add' }), [b1, b2]);
  const b3 = apply(bn('bn3'), apply(conv('c3', 2, 1), sum));
  const out = apply(
    tf.layers.dense({ name: 'head', units: 2 }),
    apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), b3),
  );
  return tf.model({ inputs: x, outputs: out });
}

/** morph-net's concat model (flop_regularizer_test) with dense heads so that conv3/conv4 are prunable. */
export function concatModel(): tf.LayersModel {
  const image = tf.input({ shape: [17, 19, 3], name: 'image' });
  const convBn = (x: tf.SymbolicTensor, name: string, filters: number, k: [number, number], strides = 1) =>
    apply(
      bn(`${name}_bn`),
      apply(tf.layers.conv2d({ name, filters, kernelSize: k, strides, padding: 'same', useBias: false }), x),
    );
  const c1 = convBn(image, 'conv1', 13, [7, 5]);
  const c2 = convBn(image, 'conv2', 23, [1, 1]);
  const cat = apply(tf.layers.concatenate({ name: 'concat' }), [c1, c2]);
  const c3 = convBn(cat, 'conv3', 29, [3, 3], 2);
  const c4 = convBn(cat, 'conv4', 31, [1, 1]);
  const head = (x: tf.SymbolicTensor, n: string) =>
    apply(
      tf.layers.dense({ name: `head${n}`, units: 2 }),
      apply(tf.layers.globalAveragePooling2d({ name: `gap${n}` }), x),
    );
  return tf.model({ inputs: image, outputs: [head(c3, '3'), head(c4, '4')] });
}

/** morph-net's concat-model γ (alive at threshold 0.45: 7, 11, 10, 17). */
export const CONCAT_GAMMAS: Record<string, number[]> = {
  'conv1_bn/gamma': [...Array(7).fill(0.8), ...Array(6).fill(0.2)],
  'conv2_bn/gamma': [...Array(11).fill(-0.7), ...Array(12).fill(0.1)],
  'conv3_bn/gamma': [...Array(10).fill(0.6), ...Array(19).fill(-0.3)],
  'conv4_bn/gamma': [...Array(17).fill(-0.5), ...Array(14).fill(-0.4)],
};
