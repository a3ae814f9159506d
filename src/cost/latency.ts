/**
 * morph-net's latency roofline per op: `max(FLOPs / peak, bytes / bandwidth)` in ns, where bytes are the
 * op's input and output activations plus its weights (float32). The loss follows the branch that
 * dominates the cost at the current alive counts. (Measured hardware needs neither: its terms are
 * bilinear already, `hw.opTerms(op)`.)
 */
import type { Hardware, RooflineHardware } from './hardware.js';
import { evalLoss, evalTerms, type CostTerms } from './terms.js';

function roofline(hw: Hardware): RooflineHardware {
  if (hw.kind !== 'roofline')
    throw new Error(`"${hw.name}" is measured: its latency terms come from hw.opTerms`);
  return hw;
}

/** Latency of an op in ns from its FLOP and memory terms, on roofline hardware. */
export function latencyCost(
  flops: CostTerms,
  memory: CostTerms,
  hardware: Hardware,
  nIn: number,
  nOut: number,
): number {
  const hw = roofline(hardware);
  return Math.max(
    evalTerms(flops, nIn, nOut) / hw.peakGflops,
    evalTerms(memory, nIn, nOut) / hw.bandwidthGBs,
  );
}

/** The latency loss of an op: the compute or memory loss, whichever branch dominates the cost. */
export function latencyLoss(
  flops: CostTerms,
  memory: CostTerms,
  hardware: Hardware,
  nIn: number,
  nOut: number,
  rIn: number,
  rOut: number,
): number {
  const hw = roofline(hardware);
  const compute = evalTerms(flops, nIn, nOut) / hw.peakGflops;
  const mem = evalTerms(memory, nIn, nOut) / hw.bandwidthGBs;
  return mem > compute
    ? evalLoss(memory, nIn, nOut, rIn, rOut) / hw.bandwidthGBs
    : evalLoss(flops, nIn, nOut, rIn, rOut) / hw.peakGflops;
}

/** Scales cost terms by a factor (e.g. 1/peak), for the linear view of one latency branch. */
export function scaleTerms(t: CostTerms, f: number): CostTerms {
  return { a: t.a * f, b: t.b * f, c: t.c * f, d: t.d * f, bLoss: t.bLoss * f, cLoss: t.cLoss * f };
}
