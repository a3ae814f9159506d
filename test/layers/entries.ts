/**
 * One harness entry per registered class name: a small model around the class (named `layer`), its
 * output shape, its FLOPs counted by hand, and its channel rule. The common frame is
 * input [6, 6, 4] → `pre` (1×1 conv, 6 filters, no bias) → `pre_bn` → the class → `post` (1×1 conv, 5)
 * → global average pooling → `head` (Dense, 3 logits), so the class reads [6, 6, 6].
 */
import { NormalizationLayer } from '../../src/layers/tfjs/normalization-layer.js';
import type { KerasClassName } from '../../src/layers/index.js';
import { dropoutMask, mulberry32 } from '../../src/engine/onnx/random.js';
import { apply, tf } from '../helpers/tf.js';
import type { ConformanceEntry } from './harness.js';

type T = tf.SymbolicTensor;

const conv1x1 = (name: string, filters: number) =>
  tf.layers.conv2d({ name, filters, kernelSize: 1, useBias: false });
const bn = (name: string) => tf.layers.batchNormalization({ name });

/** The common frame around `body` (which gets pre_bn's output); `post: false` pools the body's output directly. */
function frame(body: (x: T) => T, options: { post?: boolean; inputName?: string } = {}): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 4], name: options.inputName ?? 'x' });
  const pre = apply(bn('pre_bn'), apply(conv1x1('pre', 6), input));
  let y = body(pre);
  if (options.post !== false && y.shape.length === 4)
    y = apply(bn('post_bn'), apply(tf.layers.conv2d({ name: 'post', filters: 5, kernelSize: 1 }), y));
  if (y.shape.length === 4) y = apply(tf.layers.globalAveragePooling2d({ name: 'gap' }), y);
  else if (y.shape.length > 2) y = apply(tf.layers.flatten({ name: 'flat' }), y);
  return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ name: 'head', units: 3 }), y) });
}

/** The frame around one layer applied to pre_bn's output. */
const around = (layer: () => tf.layers.Layer, options?: { post?: boolean }) => () =>
  frame((x) => apply(layer(), x), options);

/** A second branch of 6 channels beside pre_bn (for merges): `a` (1×1 conv) → `a_bn`. */
const branch = (x: T) => apply(bn('a_bn'), apply(conv1x1('a', 6), x));

const mergeOf = (make: (args: { name: string }) => tf.layers.Layer) => () =>
  frame((x) => apply(make({ name: 'layer' }), [x, branch(x)]));

/** Merges die where both inputs' channels die. */
const bothDie = [
  { bn: 'pre_bn', channels: [1, 4], beta: 0.3 },
  { bn: 'a_bn', channels: [1, 4], beta: -0.2 },
];

const tied = { shape: [6, 6, 6], flops: 0, rule: 'tied' as const };

/** A model.json the graph reads (for classes tf.js cannot build): input → pre → the class → pooling → head. */
export function jsonAround(layer: { class_name: string; config: object }, inputs: 'one' | 'two') {
  const node = (name: string) => [name, 0, 0, {}];
  const layers = [
    {
      class_name: 'InputLayer',
      name: 'x',
      config: { name: 'x', batch_input_shape: [null, 6, 6, 4] },
      inbound_nodes: [],
    },
    {
      class_name: 'Conv2D',
      name: 'pre',
      config: { name: 'pre', filters: 6, kernel_size: [1, 1], use_bias: false },
      inbound_nodes: [[node('x')]],
    },
    {
      class_name: 'Conv2D',
      name: 'a',
      config: { name: 'a', filters: 6, kernel_size: [1, 1], use_bias: false },
      inbound_nodes: [[node('x')]],
    },
    { ...layer, name: 'layer', inbound_nodes: [inputs === 'two' ? [node('pre'), node('a')] : [node('pre')]] },
    {
      class_name: 'GlobalAveragePooling2D',
      name: 'gap',
      config: { name: 'gap' },
      inbound_nodes: [[node('layer')]],
    },
    { class_name: 'Dense', name: 'head', config: { name: 'head', units: 3 }, inbound_nodes: [[node('gap')]] },
  ];
  return {
    modelTopology: {
      class_name: 'Model',
      config: { name: 'm', layers, input_layers: [['x', 0, 0]], output_layers: [['head', 0, 0]] },
    },
  };
}

/** Keras' Lambda family as tf.keras writes it (`x * 0.5` becomes a TFOpLambda layer). */
export function lambdaJson(className: string) {
  return jsonAround({ class_name: className, config: { name: 'layer', function: 'math.multiply' } }, 'one');
}

/** Every canonical class name's entry (refused classes have theirs in the test itself). */
export const ENTRIES: Partial<Record<KerasClassName, ConformanceEntry>> = {
  InputLayer: {
    model: () => frame((x) => x, { inputName: 'layer' }),
    shape: [6, 6, 4],
    flops: 0,
    rule: 'input',
  },
  Conv2D: {
    model: around(() => tf.layers.conv2d({ name: 'layer', filters: 5, kernelSize: 3, activation: 'relu' })),
    shape: [4, 4, 5],
    flops: 2 * 3 * 3 * 6 * 5 * 4 * 4,
    rule: 'new',
  },
  Conv2DTranspose: {
    model: around(() => tf.layers.conv2dTranspose({ name: 'layer', filters: 5, kernelSize: 3 })),
    shape: [8, 8, 5],
    flops: 2 * 3 * 3 * 6 * 5 * 6 * 6, // per input pixel
    rule: 'new',
    kill: [{ bn: 'pre_bn', channels: [1, 4], beta: 0 }], // constants are not folded into a transpose
  },
  DepthwiseConv2D: {
    model: around(() => tf.layers.depthwiseConv2d({ name: 'layer', kernelSize: 3, depthMultiplier: 2 })),
    shape: [4, 4, 12],
    flops: 2 * 3 * 3 * 6 * 2 * 4 * 4,
    rule: 'depthwise',
  },
  SeparableConv2D: {
    model: around(() =>
      tf.layers.separableConv2d({ name: 'layer', filters: 5, kernelSize: 3, depthMultiplier: 2 }),
    ),
    shape: [4, 4, 5],
    flops: 2 * 3 * 3 * 6 * 2 * 4 * 4 + 2 * 6 * 2 * 5 * 4 * 4, // depthwise + 1×1
    rule: 'new',
  },
  Dense: {
    model: () => {
      const input = tf.input({ shape: [5], name: 'x' });
      const pre = apply(
        bn('pre_bn'),
        apply(tf.layers.dense({ name: 'pre', units: 6, useBias: false }), input),
      );
      const y = apply(tf.layers.dense({ name: 'layer', units: 4, activation: 'tanh' }), pre);
      return tf.model({ inputs: input, outputs: apply(tf.layers.dense({ name: 'head', units: 3 }), y) });
    },
    shape: [4],
    flops: 2 * 6 * 4,
    rule: 'new',
  },
  BatchNormalization: {
    model: around(() => bn('layer')),
    ...tied,
    kill: [{ bn: 'layer', channels: [0, 5], beta: 0.4 }],
  },
  Normalization: { model: around(() => new NormalizationLayer({ name: 'layer' })), ...tied },
  Rescaling: {
    model: around(() => tf.layers.rescaling({ name: 'layer', scale: 0.5, offset: 0.25 })),
    ...tied,
  },
  PReLU: { model: around(() => tf.layers.prelu({ name: 'layer', sharedAxes: [1, 2] })), ...tied },
  MaxPooling2D: {
    model: around(() => tf.layers.maxPooling2d({ name: 'layer', poolSize: 2 })),
    ...tied,
    shape: [3, 3, 6],
  },
  AveragePooling2D: {
    model: around(() => tf.layers.averagePooling2d({ name: 'layer', poolSize: 2 })),
    ...tied,
    shape: [3, 3, 6],
  },
  GlobalAveragePooling2D: {
    model: around(() => tf.layers.globalAveragePooling2d({ name: 'layer' })),
    ...tied,
    shape: [6],
  },
  GlobalMaxPooling2D: {
    model: around(() => tf.layers.globalMaxPooling2d({ name: 'layer' })),
    ...tied,
    shape: [6],
  },
  ZeroPadding2D: {
    model: around(() => tf.layers.zeroPadding2d({ name: 'layer', padding: 1 })),
    ...tied,
    shape: [8, 8, 6],
    kill: [{ bn: 'pre_bn', channels: [1, 4], beta: 0 }], // padding makes a non-zero constant's borders differ
  },
  Cropping2D: {
    model: around(() => tf.layers.cropping2D({ name: 'layer', cropping: 1 })),
    ...tied,
    shape: [4, 4, 6],
  },
  UpSampling2D: {
    model: around(() => tf.layers.upSampling2d({ name: 'layer', size: [2, 2] })),
    ...tied,
    shape: [12, 12, 6],
    // tf.js's ResizeNearestNeighborGrad is approximate; the reference repeats pixels by reshape + tile
    reference: (batch) => ({
      layer: (x: tf.Tensor) => {
        const rows = tf.reshape(tf.tile(tf.reshape(x, [batch * 6, 1, 6, 6]), [1, 2, 1, 1]), [
          batch * 12 * 6,
          1,
          6,
        ]);
        return tf.reshape(tf.tile(rows, [1, 2, 1]), [batch, 12, 12, 6]);
      },
    }),
  },
  Flatten: {
    model: around(() => tf.layers.flatten({ name: 'layer' })),
    shape: [216],
    flops: 0,
    rule: 'repeat',
  },
  Reshape: {
    model: around(() => tf.layers.reshape({ name: 'layer', targetShape: [36, 6] })),
    shape: [36, 6],
    flops: 0,
    rule: 'repeat',
  },
  Concatenate: {
    model: () =>
      frame((x) => {
        const b = apply(bn('b_bn'), apply(conv1x1('b', 3), x));
        return apply(tf.layers.concatenate({ name: 'layer' }), [branch(x), b]);
      }),
    shape: [6, 6, 9],
    flops: 0,
    rule: 'slices',
    kill: [
      { bn: 'a_bn', channels: [0, 2], beta: 0.3 },
      { bn: 'b_bn', channels: [1], beta: -0.1 },
    ],
  },
  Add: { model: mergeOf(tf.layers.add), ...tied, kill: bothDie },
  Multiply: { model: mergeOf(tf.layers.multiply), ...tied, kill: bothDie },
  Average: { model: mergeOf(tf.layers.average), ...tied, kill: bothDie },
  Maximum: { model: mergeOf(tf.layers.maximum), ...tied, kill: bothDie },
  Minimum: { model: mergeOf(tf.layers.minimum), ...tied, kill: bothDie },
  Subtract: { json: () => jsonAround({ class_name: 'Subtract', config: { name: 'layer' } }, 'two'), ...tied },
  Activation: { model: around(() => tf.layers.activation({ name: 'layer', activation: 'swish' })), ...tied },
  ReLU: { model: around(() => tf.layers.reLU({ name: 'layer', maxValue: 6 })), ...tied },
  LeakyReLU: { model: around(() => tf.layers.leakyReLU({ name: 'layer', alpha: 0.2 })), ...tied },
  ELU: { model: around(() => tf.layers.elu({ name: 'layer' })), ...tied },
  // over the channels (Keras' default) it mixes them; over a spatial axis (tf.js's default) it does not
  Softmax: { model: around(() => tf.layers.softmax({ name: 'layer', axis: -1 })), ...tied, rule: 'boundary' },
  ThresholdedReLU: { model: around(() => tf.layers.thresholdedReLU({ name: 'layer', theta: 0.1 })), ...tied },
  Dropout: {
    // EfficientNet's drop-connect: one mask value per example, pinned for the reference
    model: around(() =>
      tf.layers.dropout({ name: 'layer', rate: 0.4, noiseShape: [null, 1, 1, 1] as number[] }),
    ),
    ...tied,
    seed: 42,
    reference: (batch) => {
      const mask = tf.tensor(dropoutMask(mulberry32(42), batch, 0.4), [batch, 1, 1, 1]);
      return { layer: (x: tf.Tensor) => tf.mul(x, mask) };
    },
  },
  SpatialDropout2D: {
    json: () => jsonAround({ class_name: 'SpatialDropout2D', config: { name: 'layer', rate: 0.2 } }, 'one'),
    ...tied,
  },
  GaussianNoise: { model: around(() => tf.layers.gaussianNoise({ name: 'layer', stddev: 0.1 })), ...tied },
  GaussianDropout: { model: around(() => tf.layers.gaussianDropout({ name: 'layer', rate: 0.1 })), ...tied },
  AlphaDropout: { model: around(() => tf.layers.alphaDropout({ name: 'layer', rate: 0.1 })), ...tied },
  Masking: { model: around(() => tf.layers.masking({ name: 'layer', maskValue: -100 })), ...tied },
};
