/** The seeded generator of dropout masks (mulberry32), and the mask rule the engine uses. */

export { mulberry32 } from '../../data/random.js';

/** A dropout mask of `size` values: 1/(1−rate) where a draw is ≥ rate, else 0. */
export function dropoutMask(random: () => number, size: number, rate: number): Float32Array {
  const data = new Float32Array(size);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < size; i++) data[i] = random() >= rate ? keep : 0;
  return data;
}
