/**
 * The small models a profile is fitted to: one family per op kind in the context networks put it in
 * (a conv alone and followed by BN and ReLU, a residual add, a concat of two branches, a classifier's
 * dense layers, ...), over a grid of input/output widths at several resolutions. Every model ends in a
 * rank-1 output (global pooling or dense), as the ONNX export needs.
 */
import * as tf from '@tensorflow/tfjs';

/** The sample families. */
export const FAMILIES = [
  'gap',
  'conv3',
  'conv3-bn-relu',
  'conv3-s2',
  'conv1',
  'conv1-bn-relu',
  'dw',
  'dw-bn-relu',
  'dense',
  'dense-softmax',
  'flatten',
  'maxpool',
  'avgpool',
  'add',
  'concat',
  'padding',
  'upsampling',
  'dropout',
] as const;

/** A family of sample models. */
export type Family = (typeof FAMILIES)[number];

/** One sample model: a family at a resolution (`size`×`size`, 0 for vector input) and widths. */
export interface SampleSpec {
  family: Family;
  size: number;
  cin: number;
  cout: number;
}

type T = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: T | T[]): T => layer.apply(x) as T;

function conv(x: T, filters: number, kernelSize: number, strides = 1): T {
  return apply(tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }), x);
}
function bnRelu(x: T): T {
  return apply(tf.layers.reLU(), apply(tf.layers.batchNormalization(), x));
}
const gap = (x: T): T => apply(tf.layers.globalAveragePooling2d({}), x);

/** The body of each family from its input (widths from the spec). */
const BODIES: Record<Family, (x: T, s: SampleSpec) => T> = {
  gap: (x) => gap(x),
  conv3: (x, s) => gap(conv(x, s.cout, 3)),
  'conv3-bn-relu': (x, s) => gap(bnRelu(conv(x, s.cout, 3))),
  'conv3-s2': (x, s) => gap(bnRelu(conv(x, s.cout, 3, 2))),
  conv1: (x, s) => gap(conv(x, s.cout, 1)),
  'conv1-bn-relu': (x, s) => gap(bnRelu(conv(x, s.cout, 1))),
  dw: (x) => gap(apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }), x)),
  'dw-bn-relu': (x) =>
    gap(bnRelu(apply(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }), x))),
  dense: (x, s) => apply(tf.layers.dense({ units: s.cout }), x),
  'dense-softmax': (x, s) => apply(tf.layers.dense({ units: s.cout, activation: 'softmax' }), x),
  flatten: (x, s) => apply(tf.layers.dense({ units: s.cout }), apply(tf.layers.flatten(), x)),
  maxpool: (x) => gap(apply(tf.layers.maxPooling2d({ poolSize: 2 }), x)),
  avgpool: (x) => gap(apply(tf.layers.averagePooling2d({ poolSize: 2 }), x)),
  add: (x, s) =>
    gap(
      apply(
        tf.layers.reLU(),
        apply(tf.layers.add(), [x, apply(tf.layers.batchNormalization(), conv(x, s.cin, 1))]),
      ),
    ),
  concat: (x, s) => gap(apply(tf.layers.concatenate(), [conv(x, s.cout, 1), conv(x, s.cin, 1)])),
  padding: (x) => gap(apply(tf.layers.zeroPadding2d({ padding: 1 }), x)),
  upsampling: (x) => gap(apply(tf.layers.upSampling2d({ size: [2, 2] }), x)),
  dropout: (x, s) => gap(apply(tf.layers.dropout({ rate: 0.2 }), conv(x, s.cout, 1))),
};

/** Families whose input is a vector of `cin` entries (the others take `size`×`size`×`cin`). */
const VECTOR_INPUT = new Set<Family>(['dense', 'dense-softmax']);

/** Builds a sample's model (fresh weights, on the current tf.js backend). */
export function buildSample(spec: SampleSpec): tf.LayersModel {
  const vector = VECTOR_INPUT.has(spec.family);
  const x = tf.input({ shape: vector ? [spec.cin] : [spec.size, spec.size, spec.cin] });
  // A stem puts the op where networks have it: after a conv (layouts converted, inputs in cache).
  const body = vector || spec.family === 'gap' ? x : bnRelu(conv(x, spec.cin, 1));
  return tf.model({ inputs: x, outputs: BODIES[spec.family](body, spec), name: `latency-${spec.family}` });
}

// Widths aligned to SIMD blocks and not (pruned layers have any width; runtimes take other paths for them).
const CONV_PAIRS: [number, number][] = [
  [8, 16],
  [16, 8],
  [12, 20],
  [16, 32],
  [20, 44],
  [32, 32],
  [24, 64],
  [64, 24],
  [64, 64],
  [44, 100],
  [48, 128],
  [100, 36],
  [128, 128],
  [160, 960],
  [960, 160],
  [512, 512],
];
const CHANNELS = [8, 24, 56, 144, 400, 1024];
const DENSE_PAIRS: [number, number][] = [
  [16, 10],
  [64, 10],
  [256, 10],
  [1024, 10],
  [64, 64],
  [256, 128],
  [512, 512],
  [1024, 256],
  [2048, 1024],
];

/** Multiply-accumulates of a family's main op at a spec (to keep every sample cheap to time). */
function macs(s: SampleSpec): number {
  const area = s.size * s.size;
  switch (s.family) {
    case 'conv3':
    case 'conv3-bn-relu':
      return 9 * area * s.cin * s.cout;
    case 'conv3-s2':
      return (9 * area * s.cin * s.cout) / 4;
    case 'conv1':
    case 'conv1-bn-relu':
    case 'concat':
    case 'dropout':
      return area * s.cin * s.cout;
    case 'flatten':
      return area * s.cin * s.cout;
    default:
      return area * s.cin * 9;
  }
}

/** Options of {@link sampleGrid}. */
export interface GridOptions {
  families?: readonly Family[];
  /** Resolutions of the spatial families (default 4, 8, 16, 32). */
  sizes?: number[];
  /** Largest multiply-accumulate count of a sample (default 2e7). */
  maxMacs?: number;
}

/** The width pairs of a spatial family: full grids for the conv kinds, a few widths for the others. */
function spatialPairs(family: Family): [number, number][] {
  switch (family) {
    case 'conv3':
    case 'conv3-bn-relu':
    case 'conv1':
    case 'conv1-bn-relu':
      return CONV_PAIRS;
    case 'conv3-s2':
    case 'concat':
    case 'dropout':
      return [CONV_PAIRS[1], CONV_PAIRS[4], CONV_PAIRS[7], CONV_PAIRS[10], CONV_PAIRS[11]];
    case 'flatten':
      return [8, 16, 32, 64].map((c) => [c, 10]);
    case 'dw':
    case 'dw-bn-relu':
      return CHANNELS.map((c) => [c, c]);
    default:
      return [16, 96, 512].map((c) => [c, c]);
  }
}

/** The grid of samples a profile is fitted to. */
export function sampleGrid(options: GridOptions = {}): SampleSpec[] {
  const sizes = options.sizes ?? [4, 8, 16, 32];
  const maxMacs = options.maxMacs ?? 2e7;
  const out: SampleSpec[] = [];
  for (const family of options.families ?? FAMILIES) {
    if (VECTOR_INPUT.has(family)) {
      const pairs = family === 'dense' ? DENSE_PAIRS : DENSE_PAIRS.filter(([, o]) => o <= 256);
      for (const [cin, cout] of pairs) out.push({ family, size: 0, cin, cout });
      continue;
    }
    for (const size of sizes) {
      for (const [cin, cout] of spatialPairs(family)) {
        const spec = { family, size, cin, cout };
        if (macs(spec) <= maxMacs) out.push(spec);
      }
    }
  }
  return out;
}
