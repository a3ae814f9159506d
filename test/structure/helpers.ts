/** Helpers for the structure tests: non-trivial BN statistics, killed channels, output comparison. */
import { tf } from '../helpers/tf.js';
import { mulberry32 } from '../../src/data/random.js';

export const rng = mulberry32;

function setWeight(layer: tf.layers.Layer, short: string, values: Float32Array): void {
  const ws = layer.getWeights();
  const idx = layer.weights.findIndex((w) => w.originalName.endsWith(`/${short}`));
  ws[idx] = tf.tensor(values, ws[idx].shape);
  layer.setWeights(ws);
}

/**
 * Gives every BN non-trivial γ, β and moving statistics (so inference-mode BN matters), and every conv/dense
 * bias a non-zero value.
 */
export function randomizeStats(model: tf.LayersModel, seed = 7): void {
  const r = rng(seed);
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'BatchNormalization') {
      const n = layer.weights[0].shape[0]!;
      setWeight(
        layer,
        'gamma',
        Float32Array.from({ length: n }, () => 0.5 + r()),
      );
      setWeight(
        layer,
        'beta',
        Float32Array.from({ length: n }, () => r() - 0.5),
      );
      setWeight(
        layer,
        'moving_mean',
        Float32Array.from({ length: n }, () => r() - 0.5),
      );
      setWeight(
        layer,
        'moving_variance',
        Float32Array.from({ length: n }, () => 0.5 + 1.5 * r()),
      );
    } else if (layer.weights.some((w) => w.originalName.endsWith('/bias'))) {
      const b = layer.weights.find((w) => w.originalName.endsWith('/bias'))!;
      setWeight(
        layer,
        'bias',
        Float32Array.from({ length: b.shape[0]! }, () => 0.4 * (r() - 0.5)),
      );
    }
  }
}

/** Sets γ of some BN channels to zero, and β to `beta` (default 0; `null` keeps β as it is). */
export function killChannels(
  model: tf.LayersModel,
  bn: string,
  channels: number[],
  beta: number | null = 0,
): void {
  const layer = model.getLayer(bn);
  const ws = layer.getWeights().map((t) => t.dataSync().slice() as Float32Array);
  for (const c of channels) {
    ws[0][c] = 0;
    if (beta !== null) ws[1][c] = beta;
  }
  layer.setWeights(ws.map((v, i) => tf.tensor(v, layer.weights[i].shape as number[])));
}

/** Max |a − b| between two models' outputs on the same random input. */
export function maxOutputDiff(a: tf.LayersModel, b: tf.LayersModel, seed = 3): number {
  const x = a.inputs.map((i) =>
    tf.randomNormal([3, ...(i.shape.slice(1) as number[])], 0, 1, 'float32', seed),
  );
  const ya = [a.predict(x.length === 1 ? x[0] : x)].flat() as tf.Tensor[];
  const yb = [b.predict(x.length === 1 ? x[0] : x)].flat() as tf.Tensor[];
  let max = 0;
  ya.forEach((t, k) => {
    const p = t.dataSync();
    const q = yb[k].dataSync();
    if (p.length !== q.length) max = Infinity;
    for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i] - q[i]));
  });
  return max;
}

/** Shape of a layer's weight (by short name) in a model. */
export function weightShape(model: tf.LayersModel, layer: string, short: string): number[] {
  const w = model.getLayer(layer).weights.find((v) => v.originalName === `${layer}/${short}`);
  if (!w) throw new Error(`no weight ${layer}/${short}`);
  return [...w.shape] as number[];
}
