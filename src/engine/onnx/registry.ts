/**
 * The onnx engine's view of the layer registry (`src/layers`): each class links the emitter of its
 * forward and backward nodes (one file per class family in `./layers`).
 */
import type { LayerInfo, OpNode } from '../../graph/types.js';
import { layerClass, registeredClasses } from '../../layers/index.js';
import type { LayerEmitter } from './types.js';

/** The emitter of a layer class, or undefined when the onnx engine does not compile it. */
export function emitterFor(className: string): LayerEmitter | undefined {
  return layerClass(className)?.emitter(className);
}

/** Every layer class the onnx engine compiles. */
export function supportedClasses(): string[] {
  return registeredClasses().flatMap((c) => c.names.filter((n) => c.emitter(n)));
}

/** Why an op cannot be compiled (naming the layer), or null. */
export function unsupportedReason(op: OpNode, layer: LayerInfo): string | null {
  if (op.className === 'InputLayer') return null;
  const emitter = emitterFor(op.className);
  if (!emitter) return `layer "${op.layer}" (${op.className}) is not supported by the onnx engine`;
  const why = emitter.unsupported?.(op, layer) ?? null;
  return why ? `layer "${op.layer}" (${op.className}): ${why} is not supported by the onnx engine` : null;
}
