/** The registry of channel handlers, by canonical Keras class name. */
import type { ChannelHandler } from '../types.js';
import { batchNormalizationHandler } from './batch-normalization.js';
import { boundaryHandler } from './boundary.js';
import { concatenateHandler } from './concatenate.js';
import { conv2dHandler } from './conv2d.js';
import { conv2dTransposeHandler } from './conv2d-transpose.js';
import { denseHandler } from './dense.js';
import { depthwiseConv2dHandler } from './depthwise-conv2d.js';
import { flattenHandler } from './flatten.js';
import { inputLayerHandler } from './input-layer.js';
import { mergeHandler } from './merge.js';
import { passthroughHandler } from './passthrough.js';
import { preluHandler } from './prelu.js';
import { reshapeHandler } from './reshape.js';
import { separableConv2dHandler } from './separable-conv2d.js';

const HANDLERS: ChannelHandler[] = [
  inputLayerHandler,
  conv2dHandler,
  conv2dTransposeHandler,
  denseHandler,
  separableConv2dHandler,
  depthwiseConv2dHandler,
  batchNormalizationHandler,
  passthroughHandler,
  preluHandler,
  mergeHandler,
  concatenateHandler,
  flattenHandler,
  reshapeHandler,
];

const BY_CLASS = new Map<string, ChannelHandler>(
  HANDLERS.flatMap((h) => h.classes.map((c) => [c, h] as const)),
);

/** The handler of a class, or undefined when the class is unknown (it becomes a boundary). */
export function channelHandler(className: string): ChannelHandler | undefined {
  return BY_CLASS.get(className);
}

/** The handler used for unknown classes. */
export { boundaryHandler };
