/**
 * What the classes with a full kernel share (Conv2D, Conv2DTranspose, Dense: every alive input channel
 * meets every alive output channel): their cost terms, how their kernel and bias follow the channels,
 * and how a rebuilt layer takes its new width.
 */
import {
  elementwiseMemory,
  FLOAT_BYTES,
  terms,
  type BilinearResource,
  type CostTerms,
} from '../cost/bilinear.js';
import type { LayerConfig, OpNode } from '../graph/types.js';
import type { AxisIO, AxisMapEntries, ResizeWidths } from './types.js';

/** Terms of a full kernel for one resource (a bias adds one parameter per output channel). */
export function kernelTerms(
  resource: BilinearResource,
  op: OpNode,
  taps: number,
  flopsPerPair: number,
  useBias: boolean,
): CostTerms {
  switch (resource) {
    case 'flops':
      return terms({ a: flopsPerPair });
    case 'size':
      return terms({ a: taps });
    case 'params':
      return terms({ a: taps, c: useBias ? 1 : 0 });
    case 'memory': {
      const io = elementwiseMemory(op);
      return terms({ a: taps * FLOAT_BYTES, b: io.b, c: io.c });
    }
    case 'activations':
      return terms({ c: 1 });
  }
}

/** The kernel's input axis follows the input's channels, its output axis and the bias the output's. */
export function kernelAxisMaps(inAxis: number, outAxis: number) {
  return (shortName: string, io: AxisIO): AxisMapEntries =>
    shortName === 'kernel'
      ? [
          [inAxis, io.input],
          [outAxis, io.output],
        ]
      : [[0, io.output]];
}

/** Writes a rebuilt layer's planned output width into its config key. */
export function resizeWidth(key: 'filters' | 'units') {
  return (config: LayerConfig, widths: ResizeWidths): void => {
    config[key] = widths.output;
  };
}
