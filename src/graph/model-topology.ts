/**
 * A tf.js model's topology as morphnet reads and writes it: `toJSON` with each layer's config completed
 * by its registered class where tf.js leaves a field out (tf.js 4.22 does not serialise SeparableConv2D's
 * `depth_multiplier`; it is read from the depthwise kernel). The graph, rebuilt models and saved model
 * files all read this topology.
 */
import type * as tf from '@tensorflow/tfjs';
import { layerClass } from '../layers/index.js';

type JsonLayer = { class_name: string; config: Record<string, unknown> };

/** The layer list of a model topology (functional `config.layers`, or a Sequential's list). */
export function topologyLayers(topology: Record<string, unknown>): JsonLayer[] {
  const config = topology['config'] as unknown;
  if (Array.isArray(config)) return config as JsonLayer[];
  return ((config as Record<string, unknown>)['layers'] ?? []) as JsonLayer[];
}

/** `model.toJSON(undefined, false)` with configs completed from the layers' weight shapes. */
export function modelTopology(model: tf.LayersModel): Record<string, unknown> {
  const topology = structuredClone(model.toJSON(undefined, false)) as Record<string, unknown>;
  for (const layer of topologyLayers(topology)) {
    const complete = layerClass(layer.class_name)?.tfjs.completeConfig;
    if (!complete) continue;
    const weights = model.getLayer(layer.config['name'] as string).weights;
    complete(
      layer.config,
      (short) => weights.find((w) => w.originalName.endsWith(`/${short}`))?.shape as number[] | undefined,
    );
  }
  return topology;
}
