/**
 * A tf.js model's topology as morphnet reads and writes it. tf.js 4.22 does not serialise
 * SeparableConv2D's `depth_multiplier` in `toJSON`, so it is filled in here from the layer's depthwise
 * kernel: the graph, rebuilt models and saved model files all read this topology.
 */
import type * as tf from '@tensorflow/tfjs';

type JsonLayer = { class_name: string; config: Record<string, unknown> };

/** The layer list of a model topology (functional `config.layers`, or a Sequential's list). */
export function topologyLayers(topology: Record<string, unknown>): JsonLayer[] {
  const config = topology['config'] as unknown;
  if (Array.isArray(config)) return config as JsonLayer[];
  return ((config as Record<string, unknown>)['layers'] ?? []) as JsonLayer[];
}

/** `model.toJSON(undefined, false)` with SeparableConv2D depth multipliers filled in. */
export function modelTopology(model: tf.LayersModel): Record<string, unknown> {
  const topology = structuredClone(model.toJSON(undefined, false)) as Record<string, unknown>;
  for (const layer of topologyLayers(topology)) {
    if (layer.class_name !== 'SeparableConv2D' || layer.config['depth_multiplier'] !== undefined) continue;
    const dw = model
      .getLayer(layer.config['name'] as string)
      .weights.find((w) => w.originalName.endsWith('/depthwise_kernel'));
    if (dw) layer.config['depth_multiplier'] = dw.shape[3];
  }
  return topology;
}
