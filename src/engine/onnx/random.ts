/** The seeded generator of dropout masks (mulberry32), and the mask rule the engine uses. */

/** A uniform [0, 1) generator from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A dropout mask of `size` values: 1/(1−rate) where a draw is ≥ rate, else 0. */
export function dropoutMask(random: () => number, size: number, rate: number): Float32Array {
  const data = new Float32Array(size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < size; i++) data[i] = random() >= rate ? keep : 0;
  return data;
}
