/**
 * Augmentation: `flip` gives the image or its exact mirror, each about half the time; `crop` gives the
 * image shifted by (dy, dx) with |dy|, |dx| ≤ round(size / 8) (a crop of the zero-padded image: zeros come
 * in at the border), every shift in that range occurring; both deterministic per seed; in-memory training
 * batches are augmented only when asked.
 */
import { describe, expect, it } from 'vitest';
import { augmentImage, checkAugment, cropPadding, splitSource, type Split } from '../../src/data/index.js';
import { MorphnetError } from '../../src/errors.js';

const [H, W, C] = [16, 12, 2];
/** A ramp with no symmetry: every value distinct. */
const image = Float32Array.from({ length: H * W * C }, (_, i) => (i + 1) / 1000);

function shifted(src: Float32Array, dy: number, dx: number, mirror: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const sy = y + dy;
      const sx = (mirror ? W - 1 - x : x) + dx;
      if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
      for (let k = 0; k < C; k++) out[(y * W + x) * C + k] = src[(sy * W + sx) * C + k];
    }
  return out;
}

function augmented(augment: ('flip' | 'crop')[], seed: number): Float32Array {
  const data = new Float32Array(image.length + 5);
  data.set(image, 5);
  augmentImage(data, 5, [H, W, C], augment, seed);
  return data.subarray(5);
}

/** Which (dy, dx, mirror) reproduces `out` exactly, or null. */
function explain(out: Float32Array, maxShift: number): [number, number, boolean] | null {
  for (const mirror of [false, true])
    for (let dy = -maxShift; dy <= maxShift; dy++)
      for (let dx = -maxShift; dx <= maxShift; dx++) {
        const want = shifted(image, dy, dx, mirror);
        if (want.every((v, i) => v === out[i])) return [dy, dx, mirror];
      }
  return null;
}

describe('augmentation', () => {
  it('flip: the image or its mirror, about half the time, the same for the same seed', () => {
    let mirrored = 0;
    for (let seed = 0; seed < 400; seed++) {
      const out = augmented(['flip'], seed);
      const how = explain(out, 0);
      expect(how).not.toBeNull();
      if (how![2]) mirrored++;
      expect(augmented(['flip'], seed)).toEqual(out);
    }
    expect(mirrored / 400).toBeGreaterThan(0.42);
    expect(mirrored / 400).toBeLessThan(0.58);
  });

  it('crop: shifts within 1/8 of the size (zero padding), every shift occurring', () => {
    expect([cropPadding(H), cropPadding(W), cropPadding(32), cropPadding(96)]).toEqual([2, 2, 4, 12]);
    const seen = new Set<string>();
    for (let seed = 0; seed < 400; seed++) {
      const how = explain(augmented(['crop'], seed), 3);
      expect(how).not.toBeNull();
      const [dy, dx, mirror] = how!;
      expect(mirror).toBe(false);
      expect(Math.abs(dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(dx)).toBeLessThanOrEqual(2);
      seen.add(`${dy},${dx}`);
    }
    expect(seen.size).toBe(25);
  });

  it('flip and crop together: a shifted image or mirror; unknown names are refused', () => {
    const kinds = new Set<boolean>();
    for (let seed = 0; seed < 60; seed++) {
      const how = explain(augmented(['flip', 'crop'], seed), 2);
      expect(how).not.toBeNull();
      kinds.add(how![2]);
    }
    expect(kinds.size).toBe(2);
    expect(checkAugment(['crop', 'flip', 'crop'])).toEqual(['crop', 'flip']);
    expect(() => checkAugment(['rotate'])).toThrow(MorphnetError);
    expect(() => checkAugment(['rotate'])).toThrow(/unknown augmentation "rotate"/);
  });

  it('in-memory batches are augmented only when asked, deterministically per epoch', async () => {
    const split: Split = {
      images: Float32Array.from(
        { length: 6 * H * W * C },
        (_, i) => image[i % image.length] + Math.floor(i / image.length),
      ),
      labels: Uint8Array.from([0, 1, 2, 0, 1, 2]),
      count: 6,
      imageShape: [H, W, C],
      classes: 3,
    };
    const read = async (augment: string[], epoch: number) => {
      const out = [];
      for await (const b of splitSource(split, { batchSize: 4, seed: 1, augment }).epoch(epoch))
        out.push(b.xs);
      return out;
    };
    const plain = await read([], 0);
    const a = await read(['flip', 'crop'], 0);
    expect(a).toEqual(await read(['flip', 'crop'], 0));
    expect(a).not.toEqual(plain);
    expect(await read(['flip', 'crop'], 1)).not.toEqual(a);
  });
});
