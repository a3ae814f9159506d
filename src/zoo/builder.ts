/**
 * A small helper over the tfjs-layers functional API that the zoo architectures share: every layer gets an
 * explicit name, and, when a seed is given, a seeded kernel initializer whose seed is derived from the
 * model seed and the layer name (so adding a layer elsewhere does not change this layer's weights).
 */
import * as tf from '@tensorflow/tfjs';

/** A symbolic tensor of the functional API. */
export type Sym = tf.SymbolicTensor;

/** BatchNormalization hyper-parameters used by one architecture. */
export interface BnConfig {
  momentum: number;
  epsilon: number;
}

/** BN for the small (MNIST/CIFAR) nets: momentum 0.9 so moving statistics settle in short runs. */
export const SMALL_BN: BnConfig = { momentum: 0.9, epsilon: 1e-3 };
/** Keras' BatchNormalization defaults (momentum 0.99, epsilon 1e-3), as VGG/MobileNet V1 use them. */
export const KERAS_BN: BnConfig = { momentum: 0.99, epsilon: 1e-3 };

type Padding = 'same' | 'valid';

/** A tfjs-layers weight initializer. */
export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** Options of a convolution built by {@link NetBuilder.conv}. */
export interface ConvOptions {
  strides?: number;
  padding?: Padding;
  useBias?: boolean;
  activation?: 'relu' | 'softmax' | 'linear';
}

/** Derives a per-layer seed (unsigned 31-bit) from a model seed and a layer name (FNV-1a). */
export function layerSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 0x7fffffff;
}

/** Builds named layers for one model; `seed` (optional) makes every random initializer reproducible. */
export class NetBuilder {
  constructor(
    readonly seed: number | undefined,
    readonly bnConfig: BnConfig,
  ) {}

  /** A seeded Glorot-uniform initializer for layer `name` (Keras' default), or undefined when unseeded. */
  init(name: string, suffix = 'kernel'): Initializer | undefined {
    if (this.seed === undefined) return undefined;
    return tf.initializers.glorotUniform({ seed: layerSeed(this.seed, `${name}/${suffix}`) });
  }

  /** The model's input tensor. */
  input(shape: [number, number, number], name = 'input'): Sym {
    return tf.input({ shape, name });
  }

  /** Conv2D (square kernel); no bias by default since a BN follows in most zoo nets. */
  conv(x: Sym, name: string, filters: number, kernelSize: number, o: ConvOptions = {}): Sym {
    return tf.layers
      .conv2d({
        name,
        filters,
        kernelSize,
        strides: o.strides ?? 1,
        padding: o.padding ?? 'same',
        useBias: o.useBias ?? false,
        activation: o.activation,
        kernelInitializer: this.init(name),
      })
      .apply(x) as Sym;
  }

  /** DepthwiseConv2D with depth multiplier 1 and no bias. */
  depthwise(x: Sym, name: string, kernelSize: number, strides = 1, padding: Padding = 'same'): Sym {
    return tf.layers
      .depthwiseConv2d({
        name,
        kernelSize,
        strides,
        padding,
        depthMultiplier: 1,
        useBias: false,
        depthwiseInitializer: this.init(name, 'depthwise_kernel'),
      })
      .apply(x) as Sym;
  }

  /** BatchNormalization (scale and center on) with this model's momentum/epsilon. */
  bn(x: Sym, name: string): Sym {
    return tf.layers
      .batchNormalization({
        name,
        momentum: this.bnConfig.momentum,
        epsilon: this.bnConfig.epsilon,
        scale: true,
        center: true,
      })
      .apply(x) as Sym;
  }

  /** `Activation('relu')`, as Keras' ResNet50 and most converted models have it. */
  relu(x: Sym, name: string): Sym {
    return tf.layers.activation({ name, activation: 'relu' }).apply(x) as Sym;
  }

  /** `ReLU(max_value=6)`, as the Keras MobileNets have it. */
  relu6(x: Sym, name: string): Sym {
    return tf.layers.reLU({ name, maxValue: 6 }).apply(x) as Sym;
  }

  /** conv → BN → ReLU named `name`, `name_bn`, `name_relu`. */
  convBnRelu(x: Sym, name: string, filters: number, kernelSize: number, o: ConvOptions = {}): Sym {
    return this.relu(this.bn(this.conv(x, name, filters, kernelSize, o), `${name}_bn`), `${name}_relu`);
  }

  /** MaxPooling2D with the given pool size and stride (stride defaults to the pool size). */
  maxPool(x: Sym, name: string, poolSize = 2, strides = poolSize, padding: Padding = 'valid'): Sym {
    return tf.layers.maxPooling2d({ name, poolSize, strides, padding }).apply(x) as Sym;
  }

  /** GlobalAveragePooling2D. */
  gap(x: Sym, name = 'gap'): Sym {
    return tf.layers.globalAveragePooling2d({ name }).apply(x) as Sym;
  }

  /** ZeroPadding2D with ((top, bottom), (left, right)) padding. */
  zeroPad(x: Sym, name: string, padding: [[number, number], [number, number]]): Sym {
    return tf.layers.zeroPadding2d({ name, padding }).apply(x) as Sym;
  }

  /** Dense layer (with bias). */
  dense(x: Sym, name: string, units: number, activation: 'relu' | 'softmax' | 'linear' = 'linear'): Sym {
    return tf.layers.dense({ name, units, activation, kernelInitializer: this.init(name) }).apply(x) as Sym;
  }

  /** Add of several tensors. */
  add(xs: Sym[], name: string): Sym {
    return tf.layers.add({ name }).apply(xs) as Sym;
  }

  /** Concatenate along the channel axis. */
  concat(xs: Sym[], name: string): Sym {
    return tf.layers.concatenate({ name, axis: -1 }).apply(xs) as Sym;
  }

  /** Flatten. */
  flatten(x: Sym, name = 'flatten'): Sym {
    return tf.layers.flatten({ name }).apply(x) as Sym;
  }

  /** Reshape to `targetShape` (batch dimension excluded). */
  reshape(x: Sym, name: string, targetShape: number[]): Sym {
    return tf.layers.reshape({ name, targetShape }).apply(x) as Sym;
  }

  /** Dropout (a no-op at inference). */
  dropout(x: Sym, name: string, rate: number): Sym {
    return tf.layers.dropout({ name, rate, seed: this.seed }).apply(x) as Sym;
  }

  /** A standalone activation layer. */
  activation(x: Sym, name: string, activation: 'relu' | 'softmax'): Sym {
    return tf.layers.activation({ name, activation }).apply(x) as Sym;
  }

  /** Wraps input and output into a named functional model. */
  model(input: Sym, output: Sym, name: string): tf.LayersModel {
    return tf.model({ inputs: input, outputs: output, name });
  }
}
