/**
 * Copying weights from an old model into a rebuilt one slice by slice: each weight's channel axes follow
 * the old→new maps of the tensors they read or write (conv/dense kernels on input and output axes,
 * biases, BN γ/β/moving statistics, depthwise kernels on their channel axis, separable pointwise kernels
 * on `c·m + j`, PReLU α on its last axis, Dense rows after Flatten through the Flatten tensor's map).
 */
import * as tf from '@tensorflow/tfjs';
import { num } from '../graph/config.js';
import type { LayerInfo, ModelGraph } from '../graph/types.js';
import { remapInto, type WeightValues } from './weights.js';

/** Per-axis old→new index maps of one weight of a layer (null: identity). */
export function weightAxisMaps(
  graph: ModelGraph,
  layer: LayerInfo,
  shortName: string,
  rank: number,
  maps: Map<string, Int32Array>,
): (Int32Array | null)[] {
  const op = graph.opsById.get(layer.ops[0])!;
  const inMap = op.inputs.length === 1 ? maps.get(op.inputs[0])! : null;
  const outMap = maps.get(op.outputs[0])!;
  const none: (Int32Array | null)[] = new Array(rank).fill(null);
  const at = (entries: [number, Int32Array | null][]) => {
    const m = [...none];
    for (const [axis, map] of entries) m[axis] = map;
    return m;
  };
  switch (layer.className) {
    case 'Conv2D':
      return shortName === 'kernel'
        ? at([
            [2, inMap],
            [3, outMap],
          ])
        : at([[0, outMap]]);
    case 'Conv2DTranspose':
      return shortName === 'kernel'
        ? at([
            [2, outMap],
            [3, inMap],
          ])
        : at([[0, outMap]]);
    case 'Dense':
      return shortName === 'kernel'
        ? at([
            [0, inMap],
            [1, outMap],
          ])
        : at([[0, outMap]]);
    case 'DepthwiseConv2D':
      return shortName === 'depthwise_kernel' ? at([[2, inMap]]) : at([[0, outMap]]);
    case 'SeparableConv2D': {
      if (shortName === 'depthwise_kernel') return at([[2, inMap]]);
      if (shortName === 'pointwise_kernel') {
        const m = num(layer.config, 'depth_multiplier', 1);
        return at([
          [2, repeatMap(inMap!, m)],
          [3, outMap],
        ]);
      }
      return at([[0, outMap]]);
    }
    case 'BatchNormalization':
      return at([[0, outMap]]);
    case 'PReLU':
      return at([[rank - 1, outMap]]);
    default:
      return none;
  }
}

/** The map of a depthwise output `c·m + j` from the map of its input channel c. */
export function repeatMap(map: Int32Array, m: number): Int32Array {
  const out = new Int32Array(map.length * m);
  for (let c = 0; c < map.length; c++)
    for (let j = 0; j < m; j++) out[c * m + j] = map[c] < 0 ? -1 : map[c] * m + j;
  return out;
}

/**
 * The new model's weights with the old weights copied in through the tensor maps. Entries no old weight
 * maps to keep the new model's values (`fresh`, its initialisers) or are zero (`zeros`).
 */
export function mappedWeights(
  oldGraph: ModelGraph,
  oldWeights: Map<string, WeightValues>,
  newModel: tf.LayersModel,
  maps: Map<string, Int32Array>,
  start: 'fresh' | 'zeros',
): Map<string, WeightValues> {
  const out = new Map<string, WeightValues>();
  for (const layer of newModel.layers) {
    const info = oldGraph.layers.get(layer.name);
    for (const v of layer.weights) {
      const shape = [...v.shape] as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const values =
        start === 'fresh' ? Float32Array.from(v.read().dataSync() as Float32Array) : new Float32Array(size);
      const target: WeightValues = { values, shape };
      const old = oldWeights.get(v.originalName);
      if (info && old) {
        const shortName = v.originalName.slice(layer.name.length + 1);
        remapInto(old, target, weightAxisMaps(oldGraph, info, shortName, shape.length, maps));
      }
      out.set(v.originalName, target);
    }
  }
  return out;
}

/** Writes weights (by manifest name) into a model's variables. */
export function writeWeights(model: tf.LayersModel, weights: Map<string, WeightValues>): void {
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const tensors = layer.weights.map((v) => {
      const w = weights.get(v.originalName)!;
      return tf.tensor(w.values, w.shape);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
