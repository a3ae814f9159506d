/**
 * The model zoo: reference architectures built with tfjs-layers, with stable layer names (weights are keyed
 * by manifest names such as `stem/kernel`).
 *
 * Names and default input shapes (classes default to 10, or 1000 for the `-imagenet` names):
 * - `tiny` 8×8×1, `mnist-cnn` 28×28×1, `net-b` 28×28×1, `spread-net` 28×28×1, `net-a` 32×32×3,
 *   `inception-net` 32×32×3, `resnet20` / `resnet56` 32×32×3 (CIFAR ResNets, 1×1 projection shortcuts).
 * - `vgg11`, `vgg16`, `mobilenet-v1`, `mobilenet-v2`, `resnet50`: 32×32×3 CIFAR variants (BN momentum 0.9).
 * - `mobilenet-v3-small`: Keras' MobileNetV3Small layout (Keras' own strides, input rescaling included) at
 *   32×32×3, its smallest input; `mobilenet-v3-small-imagenet` at 224×224×3 with 1000 classes.
 * - `vgg11-imagenet`, `vgg16-imagenet`, `mobilenet-v1-imagenet`, `mobilenet-v2-imagenet`,
 *   `resnet50-imagenet`: 224×224×3, 1000 classes, the exact Keras `keras.applications` layouts (VGG-11
 *   follows the VGG-16 naming). Building the plain name with `inputShape: [224, 224, 3]` and
 *   `classes: 1000` also gives the ImageNet variant.
 *
 * `seed` makes the initial weights reproducible: each layer's initializer gets a seed derived from the
 * model seed and the layer name.
 */
import type * as tf from '@tensorflow/tfjs';
import { SMALL_BN } from './builder.js';
import { buildInceptionNet } from './inception-net.js';
import { buildMobileNetV1 } from './mobilenet-v1.js';
import { buildMobileNetV2 } from './mobilenet-v2.js';
import { buildMobileNetV3Small } from './mobilenet-v3.js';
import { resolveOptions, type ResolvedOptions, type ZooOptions } from './options.js';
import { buildCifarResNet } from './resnet-cifar.js';
import { buildResNet50, RESNET50_BN } from './resnet50.js';
import { buildMnistCnn, buildNetA, buildNetB, buildTiny } from './small-nets.js';
import { buildSpreadNet } from './spread-net.js';
import { buildVgg } from './vgg.js';

export type { ZooOptions } from './options.js';
export { layerSeed } from './builder.js';

type Shape3 = [number, number, number];

interface ZooEntry {
  inputShape: Shape3;
  classes: number;
  build: (o: ResolvedOptions) => tf.LayersModel;
}

const CIFAR: Shape3 = [32, 32, 3];
const MNIST: Shape3 = [28, 28, 1];
const IMAGENET: Shape3 = [224, 224, 3];

/** True when the options ask for the ImageNet layout of a plain name (224×224×3 and 1000 classes). */
function isImageNet(o: ResolvedOptions): boolean {
  return o.classes === 1000 && o.inputShape[0] === 224 && o.inputShape[1] === 224 && o.inputShape[2] === 3;
}

const ZOO: Record<string, ZooEntry> = {
  tiny: { inputShape: [8, 8, 1], classes: 10, build: buildTiny },
  'mnist-cnn': { inputShape: MNIST, classes: 10, build: buildMnistCnn },
  'net-a': { inputShape: CIFAR, classes: 10, build: buildNetA },
  'net-b': { inputShape: MNIST, classes: 10, build: buildNetB },
  'spread-net': { inputShape: MNIST, classes: 10, build: buildSpreadNet },
  'inception-net': { inputShape: CIFAR, classes: 10, build: buildInceptionNet },
  resnet20: { inputShape: CIFAR, classes: 10, build: (o) => buildCifarResNet(3, 'resnet20', o) },
  resnet56: { inputShape: CIFAR, classes: 10, build: (o) => buildCifarResNet(9, 'resnet56', o) },
  vgg11: { inputShape: CIFAR, classes: 10, build: (o) => buildVgg('vgg11', isImageNet(o), o, 'vgg11') },
  vgg16: { inputShape: CIFAR, classes: 10, build: (o) => buildVgg('vgg16', isImageNet(o), o, 'vgg16') },
  'mobilenet-v1': {
    inputShape: CIFAR,
    classes: 10,
    build: (o) => buildMobileNetV1(isImageNet(o), o, 'mobilenet-v1'),
  },
  'mobilenet-v2': {
    inputShape: CIFAR,
    classes: 10,
    build: (o) => buildMobileNetV2(isImageNet(o), o, 'mobilenet-v2'),
  },
  'mobilenet-v3-small': {
    inputShape: CIFAR,
    classes: 10,
    build: (o) => buildMobileNetV3Small(o, 'MobileNetV3Small'),
  },
  resnet50: {
    inputShape: CIFAR,
    classes: 10,
    build: (o) =>
      buildResNet50(o, isImageNet(o) ? RESNET50_BN : { ...SMALL_BN, epsilon: 1.001e-5 }, 'resnet50'),
  },
  'vgg11-imagenet': {
    inputShape: IMAGENET,
    classes: 1000,
    build: (o) => buildVgg('vgg11', true, o, 'vgg11'),
  },
  'vgg16-imagenet': {
    inputShape: IMAGENET,
    classes: 1000,
    build: (o) => buildVgg('vgg16', true, o, 'vgg16'),
  },
  'mobilenet-v1-imagenet': {
    inputShape: IMAGENET,
    classes: 1000,
    build: (o) => buildMobileNetV1(true, o, 'mobilenet_1.00_224'),
  },
  'mobilenet-v2-imagenet': {
    inputShape: IMAGENET,
    classes: 1000,
    build: (o) => buildMobileNetV2(true, o, 'mobilenetv2_1.00_224'),
  },
  'mobilenet-v3-small-imagenet': {
    inputShape: IMAGENET,
    classes: 1000,
    build: (o) => buildMobileNetV3Small(o, 'MobileNetV3Small'),
  },
  'resnet50-imagenet': {
    inputShape: IMAGENET,
    classes: 1000,
    build: (o) => buildResNet50(o, RESNET50_BN, 'resnet50'),
  },
};

/** The names `buildZooModel` accepts, in a stable order. */
export function zooNames(): string[] {
  return Object.keys(ZOO);
}

/** The default input shape and class count of a zoo model (a copy), or throws on an unknown name. */
export function zooDefaults(name: string): { inputShape: Shape3; classes: number } {
  const entry = lookup(name);
  return { inputShape: [...entry.inputShape], classes: entry.classes };
}

/** Builds a fresh zoo model by name; throws `unknown zoo model "x"; known: ...` for an unknown name. */
export function buildZooModel(name: string, options: ZooOptions = {}): tf.LayersModel {
  const entry = lookup(name);
  const resolved = resolveOptions(name, options, entry);
  return entry.build(resolved);
}

function lookup(name: string): ZooEntry {
  const entry = Object.prototype.hasOwnProperty.call(ZOO, name) ? ZOO[name] : undefined;
  if (!entry) throw new Error(`unknown zoo model "${name}"; known: ${zooNames().join(', ')}`);
  return entry;
}
