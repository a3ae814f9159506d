/**
 * Small seeded pseudo-random utilities shared across the project: one generator (mulberry32), uniform and
 * normal draws, integer draws and an in-place Fisher–Yates shuffle. Same seed, same sequence, everywhere.
 */

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a fast 32-bit PRNG; returns a function yielding uniform floats in [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer uniformly drawn from [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A standard normal draw (Box–Muller; uses two uniforms per call). */
export function randomNormal(random: Random): number {
  const u = 1 - random(); // (0, 1]: log is finite
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Shuffles `array` in place (Fisher–Yates) with the given generator and returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(
  array: T,
  random: Random,
): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** The indices 0..n-1 in a seeded random order. */
export function permutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, mulberry32(seed));
}
