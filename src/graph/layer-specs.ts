/**
 * What the graph needs to know of each Keras layer class: its output shape from its input shapes and its
 * weights (names and shapes, as tfjs names them), both from the config alone.
 */
import { activationName, bool, num, pair, str } from './config.js';
import type { LayerConfig, Shape } from './types.js';

/** A weight of a layer before it is named after the layer. */
export interface WeightShape {
  shortName: string;
  shape: number[];
  trainable: boolean;
}

/** Shape and weight rules of one layer class. */
export interface LayerSpec {
  outputShape(inputs: Shape[], config: LayerConfig): Shape;
  weights(inputs: Shape[], config: LayerConfig): WeightShape[];
}

const noWeights = (): WeightShape[] => [];
const identityShape = (inputs: Shape[]): Shape => [...inputs[0]];

function last(shape: Shape): number {
  return shape[shape.length - 1];
}

/** Output size of a windowed op along one axis (Keras `conv_output_length`). */
export function windowOutput(
  size: number,
  kernel: number,
  stride: number,
  padding: string,
  dilation = 1,
): number {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'same') return Math.ceil(size / stride);
  if (padding === 'valid') return Math.ceil((size - effective + 1) / stride);
  throw new Error(`padding must be "same" or "valid", got "${padding}"`);
}

function spatial(inputs: Shape[], what: string): [number, number, number] {
  const s = inputs[0];
  if (s.length !== 3)
    throw new Error(`${what} expects a rank-4 NHWC input, got shape [${['N', ...s].join(', ')}]`);
  return [s[0], s[1], s[2]];
}

function checkChannelsLast(config: LayerConfig): void {
  const format = str(config, 'data_format', 'channels_last');
  if (format !== 'channels_last')
    throw new Error(`data_format "${format}" is not supported (channels_last only)`);
}

function convOutput(inputs: Shape[], config: LayerConfig, channels: number): Shape {
  checkChannelsLast(config);
  const [h, w] = spatial(inputs, 'a convolution');
  const [kh, kw] = pair(config, 'kernel_size', [1, 1]);
  const [sh, sw] = pair(config, 'strides', [1, 1]);
  const [dh, dw] = pair(config, 'dilation_rate', [1, 1]);
  const padding = str(config, 'padding', 'valid');
  const oh = windowOutput(h, kh, sh, padding, dh);
  const ow = windowOutput(w, kw, sw, padding, dw);
  if (oh <= 0 || ow <= 0) throw new Error(`a ${kh}×${kw} window does not fit the ${h}×${w} input`);
  return [oh, ow, channels];
}

function bias(config: LayerConfig, size: number): WeightShape[] {
  return bool(config, 'use_bias', true) ? [{ shortName: 'bias', shape: [size], trainable: true }] : [];
}

const conv2d: LayerSpec = {
  outputShape: (inputs, config) => convOutput(inputs, config, num(config, 'filters', 0)),
  weights: (inputs, config) => {
    const [kh, kw] = pair(config, 'kernel_size', [1, 1]);
    const filters = num(config, 'filters', 0);
    return [
      { shortName: 'kernel', shape: [kh, kw, last(inputs[0]), filters], trainable: true },
      ...bias(config, filters),
    ];
  },
};

const conv2dTranspose: LayerSpec = {
  outputShape: (inputs, config) => {
    checkChannelsLast(config);
    const [h, w] = spatial(inputs, 'Conv2DTranspose');
    const [kh, kw] = pair(config, 'kernel_size', [1, 1]);
    const [sh, sw] = pair(config, 'strides', [1, 1]);
    const padding = str(config, 'padding', 'valid');
    const len = (n: number, k: number, s: number) =>
      padding === 'same' ? n * s : n * s + Math.max(k - s, 0);
    return [len(h, kh, sh), len(w, kw, sw), num(config, 'filters', 0)];
  },
  weights: (inputs, config) => {
    const [kh, kw] = pair(config, 'kernel_size', [1, 1]);
    const filters = num(config, 'filters', 0);
    return [
      { shortName: 'kernel', shape: [kh, kw, filters, last(inputs[0])], trainable: true },
      ...bias(config, filters),
    ];
  },
};

const depthwiseConv2d: LayerSpec = {
  outputShape: (inputs, config) =>
    convOutput(inputs, config, last(inputs[0]) * num(config, 'depth_multiplier', 1)),
  weights: (inputs, config) => {
    const [kh, kw] = pair(config, 'kernel_size', [1, 1]);
    const m = num(config, 'depth_multiplier', 1);
    const c = last(inputs[0]);
    return [
      { shortName: 'depthwise_kernel', shape: [kh, kw, c, m], trainable: true },
      ...bias(config, c * m),
    ];
  },
};

const separableConv2d: LayerSpec = {
  outputShape: (inputs, config) => convOutput(inputs, config, num(config, 'filters', 0)),
  weights: (inputs, config) => {
    const [kh, kw] = pair(config, 'kernel_size', [1, 1]);
    const m = num(config, 'depth_multiplier', 1);
    const c = last(inputs[0]);
    const filters = num(config, 'filters', 0);
    return [
      { shortName: 'depthwise_kernel', shape: [kh, kw, c, m], trainable: true },
      { shortName: 'pointwise_kernel', shape: [1, 1, c * m, filters], trainable: true },
      ...bias(config, filters),
    ];
  },
};

const dense: LayerSpec = {
  outputShape: (inputs, config) => [...inputs[0].slice(0, -1), num(config, 'units', 0)],
  weights: (inputs, config) => {
    const units = num(config, 'units', 0);
    return [
      { shortName: 'kernel', shape: [last(inputs[0]), units], trainable: true },
      ...bias(config, units),
    ];
  },
};

const batchNorm: LayerSpec = {
  outputShape: identityShape,
  weights: (inputs, config) => {
    const axis = config['axis'];
    const axisValue = Array.isArray(axis) ? axis[0] : axis;
    if (axisValue !== undefined && axisValue !== null && axisValue !== -1 && axisValue !== inputs[0].length) {
      throw new Error(`BatchNormalization over axis ${String(axisValue)} is not supported (last axis only)`);
    }
    const c = last(inputs[0]);
    const out: WeightShape[] = [];
    if (bool(config, 'scale', true)) out.push({ shortName: 'gamma', shape: [c], trainable: true });
    if (bool(config, 'center', true)) out.push({ shortName: 'beta', shape: [c], trainable: true });
    out.push({ shortName: 'moving_mean', shape: [c], trainable: false });
    out.push({ shortName: 'moving_variance', shape: [c], trainable: false });
    return out;
  },
};

const prelu: LayerSpec = {
  outputShape: identityShape,
  weights: (inputs, config) => {
    const shape = [...inputs[0]];
    const shared = config['shared_axes'];
    const axes = shared === null || shared === undefined ? [] : Array.isArray(shared) ? shared : [shared];
    for (const a of axes) shape[Number(a) - 1] = 1;
    return [{ shortName: 'alpha', shape, trainable: true }];
  },
};

function pooling(inputs: Shape[], config: LayerConfig): Shape {
  checkChannelsLast(config);
  const [h, w, c] = spatial(inputs, 'pooling');
  const pool = pair(config, 'pool_size', [2, 2]);
  const strides = pair(config, 'strides', pool);
  const padding = str(config, 'padding', 'valid');
  const oh = windowOutput(h, pool[0], strides[0], padding);
  const ow = windowOutput(w, pool[1], strides[1], padding);
  if (oh <= 0 || ow <= 0) throw new Error(`a ${pool[0]}×${pool[1]} pool does not fit the ${h}×${w} input`);
  return [oh, ow, c];
}

function globalPooling(inputs: Shape[], config: LayerConfig): Shape {
  const [, , c] = spatial(inputs, 'global pooling');
  return bool(config, 'keepdims', false) ? [1, 1, c] : [c];
}

/** Reads ZeroPadding2D/Cropping2D amounts as [[top, bottom], [left, right]]. */
export function padAmounts(config: LayerConfig, key: string): [[number, number], [number, number]] {
  const v = config[key];
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  if (Array.isArray(v) && v.length === 2) {
    const axis = (a: unknown): [number, number] =>
      typeof a === 'number'
        ? [a, a]
        : Array.isArray(a) && a.length === 2
          ? [Number(a[0]), Number(a[1])]
          : [NaN, NaN];
    const out: [[number, number], [number, number]] = [axis(v[0]), axis(v[1])];
    if (out.flat().every(Number.isFinite)) return out;
  }
  if (v === undefined || v === null)
    return [
      [1, 1],
      [1, 1],
    ];
  throw new Error(`config "${key}" must be an int, a pair or a pair of pairs, got ${JSON.stringify(v)}`);
}

const zeroPadding: LayerSpec = {
  outputShape: (inputs, config) => {
    const [h, w, c] = spatial(inputs, 'ZeroPadding2D');
    const [[t, b], [l, r]] = padAmounts(config, 'padding');
    return [h + t + b, w + l + r, c];
  },
  weights: noWeights,
};

const cropping: LayerSpec = {
  outputShape: (inputs, config) => {
    const [h, w, c] = spatial(inputs, 'Cropping2D');
    const [[t, b], [l, r]] = padAmounts(config, 'cropping');
    const out: Shape = [h - t - b, w - l - r, c];
    if (out[0] <= 0 || out[1] <= 0) throw new Error(`cropping leaves no pixels of the ${h}×${w} input`);
    return out;
  },
  weights: noWeights,
};

const upSampling: LayerSpec = {
  outputShape: (inputs, config) => {
    const [h, w, c] = spatial(inputs, 'UpSampling2D');
    const [sh, sw] = pair(config, 'size', [2, 2]);
    return [h * sh, w * sw, c];
  },
  weights: noWeights,
};

const flatten: LayerSpec = {
  outputShape: (inputs) => [inputs[0].reduce((a, b) => a * b, 1)],
  weights: noWeights,
};

const reshape: LayerSpec = {
  outputShape: (inputs, config) => {
    const target = config['target_shape'];
    if (!Array.isArray(target)) throw new Error('Reshape needs a target_shape list');
    const total = inputs[0].reduce((a, b) => a * b, 1);
    const known = target.filter((d) => d !== -1 && d !== null).reduce((a: number, b) => a * Number(b), 1);
    const out = target.map((d) => (d === -1 || d === null ? total / known : Number(d)));
    if (out.reduce((a, b) => a * b, 1) !== total || !out.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`cannot reshape [${inputs[0].join(', ')}] into [${target.join(', ')}]`);
    }
    return out;
  },
  weights: noWeights,
};

function merge(inputs: Shape[]): Shape {
  if (inputs.length < 2) throw new Error('a merge layer needs at least two inputs');
  const rank = Math.max(...inputs.map((s) => s.length));
  const out: Shape = [];
  for (let i = 0; i < rank; i++) {
    const dims = inputs.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big)) {
      throw new Error(
        `inputs of shapes ${inputs.map((s) => `[${s.join(', ')}]`).join(' and ')} cannot be merged`,
      );
    }
    out.push(big);
  }
  return out;
}

const concatenate: LayerSpec = {
  outputShape: (inputs, config) => {
    const rank = inputs[0].length;
    let axis = num(config, 'axis', -1);
    if (axis < 0) axis += rank + 1;
    axis -= 1; // drop the batch axis
    if (axis < 0 || axis >= rank)
      throw new Error(`Concatenate axis ${num(config, 'axis', -1)} is out of range`);
    const out = [...inputs[0]];
    for (const s of inputs.slice(1)) {
      if (s.length !== rank || s.some((d, i) => i !== axis && d !== out[i])) {
        throw new Error(
          `inputs of shapes ${inputs.map((x) => `[${x.join(', ')}]`).join(' and ')} cannot be concatenated`,
        );
      }
      out[axis] += s[axis];
    }
    return out;
  },
  weights: noWeights,
};

const passThrough: LayerSpec = { outputShape: identityShape, weights: noWeights };

/** Keras class names whose output is their (first) input's shape, with no weights. */
export const ELEMENTWISE_CLASSES = [
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'ThresholdedReLU',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Rescaling',
  'Masking',
] as const;

/** Merge classes: element-wise over inputs of equal (or broadcast) shape. */
export const MERGE_CLASSES = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'] as const;

const SPECS: Record<string, LayerSpec> = {
  Conv2D: conv2d,
  Convolution2D: conv2d,
  Conv2DTranspose: conv2dTranspose,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  SeparableConvolution2D: separableConv2d,
  Dense: dense,
  BatchNormalization: batchNorm,
  PReLU: prelu,
  MaxPooling2D: { outputShape: pooling, weights: noWeights },
  MaxPool2D: { outputShape: pooling, weights: noWeights },
  AveragePooling2D: { outputShape: pooling, weights: noWeights },
  AvgPool2D: { outputShape: pooling, weights: noWeights },
  GlobalAveragePooling2D: { outputShape: globalPooling, weights: noWeights },
  GlobalAvgPool2D: { outputShape: globalPooling, weights: noWeights },
  GlobalMaxPooling2D: { outputShape: globalPooling, weights: noWeights },
  GlobalMaxPool2D: { outputShape: globalPooling, weights: noWeights },
  ZeroPadding2D: zeroPadding,
  Cropping2D: cropping,
  UpSampling2D: upSampling,
  Flatten: flatten,
  Reshape: reshape,
  Concatenate: concatenate,
  ...Object.fromEntries(ELEMENTWISE_CLASSES.map((c) => [c, passThrough])),
  ...Object.fromEntries(MERGE_CLASSES.map((c) => [c, { outputShape: merge, weights: noWeights }])),
};

/** The shape/weight rules of a layer class, or undefined for a class the graph does not know. */
export function layerSpec(className: string): LayerSpec | undefined {
  return SPECS[className];
}

/** The canonical name of a class that has aliases (e.g. `Convolution2D` → `Conv2D`). */
export function canonicalClass(className: string): string {
  const aliases: Record<string, string> = {
    Convolution2D: 'Conv2D',
    SeparableConvolution2D: 'SeparableConv2D',
    MaxPool2D: 'MaxPooling2D',
    AvgPool2D: 'AveragePooling2D',
    GlobalAvgPool2D: 'GlobalAveragePooling2D',
    GlobalMaxPool2D: 'GlobalMaxPooling2D',
  };
  return aliases[className] ?? className;
}

/** True when the layer applies an activation we can name (used for reports). */
export function layerActivation(config: LayerConfig): string {
  return activationName(config);
}
