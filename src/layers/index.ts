/**
 * The layer registry: every Keras class morphnet knows, one module each (or one per family), and the
 * lookups the graph, grouping, cost, pruning and engine modules read instead of switching on names.
 * Adding a class: write its module (see `types.ts`) and list it here.
 */
import { activation } from './activation.js';
import { batchNormalization } from './batch-normalization.js';
import { concatenate } from './concatenate.js';
import { conv2d } from './conv2d.js';
import { conv2dTranspose } from './conv2d-transpose.js';
import { dense } from './dense.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { dropout } from './dropout.js';
import { flatten } from './flatten.js';
import { globalPooling } from './global-pooling.js';
import { inputLayer } from './input-layer.js';
import { lambda } from './lambda.js';
import { masking } from './masking.js';
import { merge } from './merge.js';
import type { KerasClassName } from './names.js';
import { normalization } from './normalization.js';
import { padding } from './padding.js';
import { pooling } from './pooling.js';
import { prelu } from './prelu.js';
import { rescaling } from './rescaling.js';
import { reshape } from './reshape.js';
import { separableConv2d } from './separable-conv2d.js';
import type { LayerClass } from './types.js';
import { upSampling } from './upsampling.js';

export type { KerasClassName } from './names.js';
export type * from './types.js';
export { defineLayer } from './types.js';

const CLASSES: readonly LayerClass[] = [
  inputLayer,
  conv2d,
  conv2dTranspose,
  depthwiseConv2d,
  separableConv2d,
  dense,
  batchNormalization,
  normalization,
  rescaling,
  prelu,
  pooling,
  globalPooling,
  padding,
  upSampling,
  flatten,
  reshape,
  concatenate,
  merge,
  activation,
  dropout,
  masking,
  lambda,
];

const BY_NAME = new Map<string, LayerClass>(
  CLASSES.flatMap((c) => [...c.names, ...Object.keys(c.aliases)].map((n) => [n, c] as const)),
);

const CANONICAL = new Map<string, KerasClassName>(
  CLASSES.flatMap((c) => Object.entries(c.aliases).map(([alias, name]) => [alias, name] as const)),
);

/** The registered class of a Keras class name (aliases included), or undefined for an unknown class. */
export function layerClass(className: string): LayerClass | undefined {
  return BY_NAME.get(className);
}

/** Every registered class (module), in registry order. */
export function registeredClasses(): readonly LayerClass[] {
  return CLASSES;
}

/** Every canonical Keras class name the registry knows. */
export function registeredNames(): KerasClassName[] {
  return CLASSES.flatMap((c) => [...c.names]);
}

/** The canonical name of a class that has aliases (e.g. `Convolution2D` → `Conv2D`). */
export function canonicalClass(className: string): string {
  return CANONICAL.get(className) ?? className;
}

/** Whether tf.js (with morphnet's registered classes) can build a class. */
export function tfjsHas(className: string): boolean {
  const c = BY_NAME.get(className);
  if (!c || c.tfjs.availability === 'none') return false;
  return !(c.tfjs.lacking ?? []).some((n) => n === canonicalClass(className));
}

/** What morphnet does with a class: analyze it, prune around it, train it on each engine. */
export interface ClassSupport {
  analyze: boolean;
  /** Pruning rebuilds the model in tf.js, so it needs a class tf.js can build. */
  prune: boolean;
  onnx: boolean;
  tfjs: boolean;
}

/** The support of a registered class name (undefined for a name the registry does not know). */
export function classSupport(className: string): ClassSupport | undefined {
  const c = BY_NAME.get(className);
  if (!c) return undefined;
  const refused = c.refusal !== undefined;
  const built = !refused && tfjsHas(className);
  return {
    analyze: !refused,
    prune: built,
    onnx: !refused && (className === 'InputLayer' || c.emitter(canonicalClass(className)) !== undefined),
    tfjs: built && !(c.tfjs.untrainable ?? []).some((n) => n === canonicalClass(className)),
  };
}
