/** Temporarily sets the momentum of a model's BatchNorm layers (restored by the returned function). */
import type * as tf from '@tensorflow/tfjs';

/** Sets every BatchNormalization layer's momentum; returns a function restoring the previous values. */
export function setBnMomentum(model: tf.LayersModel, momentum: number): () => void {
  const saved: [{ momentum: number }, number][] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const bn = layer as unknown as { momentum: number };
    saved.push([bn, bn.momentum]);
    bn.momentum = momentum;
  }
  return () => {
    for (const [bn, m] of saved) bn.momentum = m;
  };
}
