/**
 * What 2-D window layers share (convolutions and pooling): the typed window config, Keras' output size
 * rule, and the checks on their input.
 */
import { activationName, bool, num, pair, str } from '../graph/config.js';
import type { LayerConfig, Shape } from '../graph/types.js';

/** A 2-D window: kernel (or pool) size, strides, dilation and padding. */
export interface WindowArgs {
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'same' | 'valid';
}

/** A convolution's config (Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D). */
export interface ConvArgs extends WindowArgs {
  /** Output channels (`filters`; for DepthwiseConv2D, input channels × depthMultiplier). */
  filters: number;
  depthMultiplier: number;
  groups: number;
  useBias: boolean;
  /** The fused activation's name (`linear` when none). */
  activation: string;
}

function padding(config: LayerConfig): 'same' | 'valid' {
  const p = str(config, 'padding', 'valid');
  if (p !== 'same' && p !== 'valid') throw new Error(`padding must be "same" or "valid", got "${p}"`);
  return p;
}

/** Refuses `channels_first` data (morphnet reads NHWC models). */
export function checkChannelsLast(config: LayerConfig): void {
  const format = str(config, 'data_format', 'channels_last');
  if (format !== 'channels_last')
    throw new Error(`data_format "${format}" is not supported (channels_last only)`);
}

/** Reads a window config: `kernel_size` (or `pool_size`, whose strides default to it). */
export function parseWindow(config: LayerConfig, kernelKey: 'kernel_size' | 'pool_size'): WindowArgs {
  checkChannelsLast(config);
  const kernelSize = pair(config, kernelKey, kernelKey === 'pool_size' ? [2, 2] : [1, 1]);
  return {
    kernelSize,
    strides: pair(config, 'strides', kernelKey === 'pool_size' ? kernelSize : [1, 1]),
    dilationRate: kernelKey === 'pool_size' ? [1, 1] : pair(config, 'dilation_rate', [1, 1]),
    padding: padding(config),
  };
}

/** Reads a convolution config. */
export function parseConv(config: LayerConfig): ConvArgs {
  return {
    ...parseWindow(config, 'kernel_size'),
    filters: num(config, 'filters', 0),
    depthMultiplier: num(config, 'depth_multiplier', 1),
    groups: num(config, 'groups', 1),
    useBias: bool(config, 'use_bias', true),
    activation: activationName(config),
  };
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

/** The [H, W, C] of a rank-4 NHWC input, or an error naming what expected it. */
export function spatialInput(inputs: Shape[], what: string): [number, number, number] {
  const s = inputs[0];
  if (s.length !== 3)
    throw new Error(`${what} expects a rank-4 NHWC input, got shape [${['N', ...s].join(', ')}]`);
  return [s[0], s[1], s[2]];
}

/** Output shape of a window op with `channels` output channels. */
export function windowShape(inputs: Shape[], w: WindowArgs, channels: number, what: string): Shape {
  const [h, wd] = spatialInput(inputs, what);
  const [kh, kw] = w.kernelSize;
  const oh = windowOutput(h, kh, w.strides[0], w.padding, w.dilationRate[0]);
  const ow = windowOutput(wd, kw, w.strides[1], w.padding, w.dilationRate[1]);
  if (oh <= 0 || ow <= 0) throw new Error(`a ${kh}×${kw} window does not fit the ${h}×${wd} input`);
  return [oh, ow, channels];
}

/** True when a window op's borders see the same taps as its interior (1×1 or `valid`). */
export function windowExact(w: WindowArgs): boolean {
  return w.padding === 'valid' || (w.kernelSize[0] === 1 && w.kernelSize[1] === 1);
}

/** Number of taps of a window. */
export function taps(w: WindowArgs): number {
  return w.kernelSize[0] * w.kernelSize[1];
}

/** Channels (last dimension) of a shape. */
export function lastDim(shape: Shape): number {
  return shape[shape.length - 1];
}
