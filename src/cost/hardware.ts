/**
 * Hardware of the latency target. Roofline hardware comes from morph-net's `resource_function.py`
 * (PEAK_COMPUTE in GFLOP/s and MEMORY_BANDWIDTH in GB/s); its comments cite NVIDIA's datasheets (K80, P4,
 * T4, P100, V100: V100's 125,000 is the tensor-core peak) and Jeff Dean's NIPS'17 slides (TPUv2).
 * Measured hardware (`onnx-cpu`, `tfjs-wasm`) prices each op by a profile fitted to timings on this
 * machine; `src/latency` measures or loads a profile and registers it here, so the name resolves.
 */
import { MorphnetError } from '../errors.js';
import type { OpNode } from '../graph/types.js';
import type { CostTerms } from './terms.js';

/** Hardware priced by morph-net's roofline, `max(FLOPs / peak, bytes / bandwidth)`. */
export interface RooflineHardware {
  kind: 'roofline';
  name: string;
  /** Peak compute, GFLOP/s (= FLOP per ns). */
  peakGflops: number;
  /** Memory bandwidth, GB/s (= bytes per ns). */
  bandwidthGBs: number;
  source: string;
}

/** A runtime priced by a measured per-op profile: each op's latency is bilinear in its channel counts. */
export interface MeasuredHardware {
  kind: 'measured';
  name: string;
  /** Where the profile comes from (machine, runtime, date). */
  source: string;
  /** The op's latency terms in ns at its shapes (`a·Cin·Cout + b·Cin + c·Cout + d`). */
  opTerms(op: OpNode): CostTerms;
}

/** Hardware of the latency target. */
export type Hardware = RooflineHardware | MeasuredHardware;

const NVIDIA = 'morph-net resource_function.py (NVIDIA datasheet)';

function roofline(name: string, peakGflops: number, bandwidthGBs: number, source: string): RooflineHardware {
  return { kind: 'roofline', name, peakGflops, bandwidthGBs, source };
}

/** The roofline hardware table, keyed by name. */
export const HARDWARE: Record<string, RooflineHardware> = {
  K80: roofline('K80', 8740, 480, NVIDIA),
  P4: roofline('P4', 5500, 192, NVIDIA),
  T4: roofline('T4', 8100, 300, NVIDIA),
  P100: roofline('P100', 9300, 732, NVIDIA),
  V100: roofline('V100', 125000, 900, `${NVIDIA}; tensor-core peak`),
  TPUv2: roofline('TPUv2', 22500, 300, "morph-net resource_function.py (Dean, NIPS'17 slides)"),
};

/** The runtimes whose latency is measured on this machine. */
export const MEASURED_HARDWARE = ['onnx-cpu', 'tfjs-wasm'] as const;

/** Every hardware name `--hardware` takes, roofline then measured. */
export const HARDWARE_NAMES: readonly string[] = [...Object.keys(HARDWARE), ...MEASURED_HARDWARE];

const registered = new Map<string, MeasuredHardware>();

/** Whether a name is one of the measured runtimes (case-insensitive). */
export function isMeasuredName(name: string): boolean {
  return (MEASURED_HARDWARE as readonly string[]).includes(name.toLowerCase());
}

/** Makes a measured hardware resolvable by its name in this process (replacing an earlier one). */
export function registerHardware(hw: MeasuredHardware): void {
  registered.set(hw.name.toLowerCase(), hw);
}

/**
 * Looks up hardware by name (case-insensitive). A measured runtime resolves once its profile is loaded
 * (`measuredHardware(name)` from the library measures or loads it); an unknown name throws a
 * one-sentence error listing the known names.
 */
export function hardware(name: string): Hardware {
  const hit = Object.values(HARDWARE).find((h) => h.name.toLowerCase() === name.toLowerCase());
  if (hit) return hit;
  if (isMeasuredName(name)) {
    const measured = registered.get(name.toLowerCase());
    if (measured) return measured;
    throw new MorphnetError(
      `the measured hardware "${name}" has no profile loaded yet; load it first with \`await measuredHardware('${name.toLowerCase()}')\` (it measures this machine once and caches the profile)`,
    );
  }
  throw new Error(`unknown hardware "${name}"; known: ${HARDWARE_NAMES.join(', ')}`);
}
