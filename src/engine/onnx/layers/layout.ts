/**
 * Activation layout inside the ONNX graphs: a tensor whose shape without the batch has rank 3 (H, W, C)
 * is kept NCHW; every other rank keeps the model's own (channels-last) order.
 */
import type { Shape } from '../../../graph/types.js';
import type { GraphBuilder } from '../builder.js';

/** Whether a tensor of this (batch-less, channels-last) shape is stored NCHW in the graph. */
export function isSpatial(shape: Shape): boolean {
  return shape.length === 3;
}

/** The graph axis (batch included) of a model axis (batch included, channels last; negatives allowed). */
export function graphAxis(shape: Shape, axis: number): number {
  const rank = shape.length + 1;
  const a = axis < 0 ? axis + rank : axis;
  if (!isSpatial(shape)) return a;
  return [0, 2, 3, 1][a];
}

/** The channel (last model) axis of a tensor in the graph. */
export function channelAxis(shape: Shape): number {
  return graphAxis(shape, -1);
}

/** A graph tensor in the model's channels-last order. */
export function toModelOrder(b: GraphBuilder, x: string, shape: Shape): string {
  return isSpatial(shape) ? b.transpose(x, [0, 2, 3, 1]) : x;
}

/** A channels-last tensor in the graph's order. */
export function toGraphOrder(b: GraphBuilder, x: string, shape: Shape): string {
  return isSpatial(shape) ? b.transpose(x, [0, 3, 1, 2]) : x;
}
