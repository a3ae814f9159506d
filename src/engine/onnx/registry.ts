/** The registry of layer emitters: Keras class name → the emitter of its forward and backward nodes. */
import type { LayerInfo, OpNode } from '../../graph/types.js';
import { activation } from './layers/activation.js';
import { batchNorm } from './layers/batch-norm.js';
import { concatenate } from './layers/concatenate.js';
import { conv2d } from './layers/conv2d.js';
import { dense } from './layers/dense.js';
import { depthwiseConv2d } from './layers/depthwise-conv2d.js';
import { dropout } from './layers/dropout.js';
import { globalPooling } from './layers/global-pooling.js';
import { merge } from './layers/merge.js';
import { padding } from './layers/padding.js';
import { pooling } from './layers/pooling.js';
import { reshape } from './layers/reshape.js';
import { separableConv2d } from './layers/separable-conv2d.js';
import { upSampling } from './layers/upsampling.js';
import type { LayerEmitter } from './types.js';

const EMITTERS: LayerEmitter[] = [
  conv2d,
  depthwiseConv2d,
  separableConv2d,
  dense,
  batchNorm,
  activation,
  pooling,
  globalPooling,
  merge,
  concatenate,
  padding,
  upSampling,
  reshape,
  dropout,
];

const BY_CLASS = new Map<string, LayerEmitter>(
  EMITTERS.flatMap((e) => e.classes.map((c) => [c, e] as const)),
);

/** The emitter of a layer class, or undefined. */
export function emitterFor(className: string): LayerEmitter | undefined {
  return BY_CLASS.get(className);
}

/** Every layer class the onnx engine compiles. */
export function supportedClasses(): string[] {
  return [...BY_CLASS.keys()];
}

/** Why an op cannot be compiled (naming the layer), or null. */
export function unsupportedReason(op: OpNode, layer: LayerInfo): string | null {
  if (op.className === 'InputLayer') return null;
  const emitter = BY_CLASS.get(op.className);
  if (!emitter) return `layer "${op.layer}" (${op.className}) is not supported by the onnx engine`;
  const why = emitter.unsupported?.(op, layer) ?? null;
  return why ? `layer "${op.layer}" (${op.className}): ${why} is not supported by the onnx engine` : null;
}
