/**
 * Hardware for the latency roofline, from morph-net's `resource_function.py` (PEAK_COMPUTE in GFLOP/s and
 * MEMORY_BANDWIDTH in GB/s). Its comments cite NVIDIA's datasheets (K80, P4, T4, P100, V100: V100's
 * 125,000 is the tensor-core peak) and Jeff Dean's NIPS'17 slides (TPUv2).
 */
export interface Hardware {
  name: string;
  /** Peak compute, GFLOP/s (= FLOP per ns). */
  peakGflops: number;
  /** Memory bandwidth, GB/s (= bytes per ns). */
  bandwidthGBs: number;
  source: string;
}

const NVIDIA = 'morph-net resource_function.py (NVIDIA datasheet)';

/** The hardware table, keyed by name. */
export const HARDWARE: Record<string, Hardware> = {
  K80: { name: 'K80', peakGflops: 8740, bandwidthGBs: 480, source: NVIDIA },
  P4: { name: 'P4', peakGflops: 5500, bandwidthGBs: 192, source: NVIDIA },
  T4: { name: 'T4', peakGflops: 8100, bandwidthGBs: 300, source: NVIDIA },
  P100: { name: 'P100', peakGflops: 9300, bandwidthGBs: 732, source: NVIDIA },
  V100: { name: 'V100', peakGflops: 125000, bandwidthGBs: 900, source: `${NVIDIA}; tensor-core peak` },
  TPUv2: {
    name: 'TPUv2',
    peakGflops: 22500,
    bandwidthGBs: 300,
    source: "morph-net resource_function.py (Dean, NIPS'17 slides)",
  },
};

/** Looks up hardware by name (case-insensitive); throws a one-sentence error listing the known names. */
export function hardware(name: string): Hardware {
  const hit = Object.values(HARDWARE).find((h) => h.name.toLowerCase() === name.toLowerCase());
  if (!hit) throw new Error(`unknown hardware "${name}"; known: ${Object.keys(HARDWARE).join(', ')}`);
  return hit;
}
