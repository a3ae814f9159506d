import { describe, expect, it } from 'vitest';
import { mulberry32, permutation, randomNormal, shuffleInPlace } from '../../src/data/random.js';

describe('mulberry32', () => {
  it('matches the reference C implementation (Tommy Ettinger) for three seeds', () => {
    // Outputs of the original C code (uint32 state += 0x6D2B79F5 ...), compiled with gcc, printed as uint32.
    const reference: Record<number, number[]> = {
      0: [1144304738, 1416247, 958946056, 627933444],
      42: [2581720956, 1925393290, 3661312704, 2876485805],
      4294967295: [3850105811, 813802916, 3073704848, 4054706436],
    };
    for (const [seed, values] of Object.entries(reference)) {
      const random = mulberry32(Number(seed));
      expect(values.map(() => random() * 4294967296)).toEqual(values);
    }
  });

  it('gives uniform draws in [0, 1) and standard normal draws', () => {
    const random = mulberry32(7);
    const n = 100_000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = random();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005); // sd of the mean: 0.29/sqrt(n) ≈ 0.0009
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = randomNormal(random);
      s1 += z;
      s2 += z * z;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });
});

describe('shuffling', () => {
  it('permutation holds every index once and depends only on the seed', () => {
    const a = permutation(1000, 3);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect(permutation(1000, 3)).toEqual(a);
    expect(permutation(1000, 4)).not.toEqual(a);
  });

  it('shuffleInPlace keeps the multiset of values', () => {
    const values = [5, 5, 1, 2, 3, 9];
    shuffleInPlace(values, mulberry32(1));
    expect(values.sort()).toEqual([1, 2, 3, 5, 5, 9]);
  });
});
