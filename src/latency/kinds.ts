/**
 * The op kinds of a measured latency profile and what one op of a kind costs. Each kind has five fitted
 * coefficients, in ns: `a` per multiply-accumulate (per unit of `k·positions·Cin·Cout`), `b` per input
 * element, `c` per output element (times the kernel area where the op reads a window per output), `d` per
 * layer (the runtime's fixed cost of running it) and `w` per weight element (reading the kernel: what a
 * 1×1 conv on a 4×4 map or a dense layer mostly pays). So an op's latency is morph-net's bilinear form
 * `A·Cin·Cout + B·Cin + C·Cout + D` in its alive channel counts, with A, B, C scaled by its spatial size
 * and kernel: the regularizer, expand and uniform use it as they use FLOPs.
 */

/** The kinds a profile fits. */
export const LATENCY_KINDS = [
  'input',
  'conv',
  'conv1x1',
  'depthwise',
  'dense',
  'batchnorm',
  'activation',
  'pool',
  'global-pool',
  'add',
  'concat',
  'reshape',
  'padding',
  'upsampling',
  'identity',
] as const;

/** An op kind of a measured profile. */
export type LatencyKind = (typeof LATENCY_KINDS)[number];

/** The fitted coefficients of a kind, in ns (see the file comment). */
export interface KindCoefficients {
  a: number;
  b: number;
  c: number;
  d: number;
  w: number;
}

/** The five coefficient slots. */
export const SLOTS = ['a', 'b', 'c', 'd', 'w'] as const;

/**
 * One kind's share of an op: the multipliers of the kind's coefficients. The op's cost terms are
 * `A = a·kind.a + wa·kind.w`, `B = b·kind.b + wb·kind.w`, `C = c·kind.c + wc·kind.w`, `D = d·kind.d`
 * (A multiplies `Cin·Cout`; `wa·Cin·Cout + wb·Cin + wc·Cout` is the op's weight count).
 */
export interface OpPart {
  kind: LatencyKind;
  a: number;
  b: number;
  c: number;
  d: number;
  wa: number;
  wb: number;
  wc: number;
}
