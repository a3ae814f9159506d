/**
 * Training-time augmentation of images (opt-in): `flip`, a horizontal flip with probability 1/2, and
 * `crop`, a random H×W crop of the image zero-padded by 1/8 of its size on every side (the CIFAR recipe:
 * 4 pixels at 32×32). Each image draws from its own generator, seeded by the source's seed, the epoch and
 * its position in the epoch, so an epoch's augmentation does not depend on which thread decoded what, and
 * a resumed epoch sees the same images.
 */
import { MorphnetError } from '../errors.js';
import { mulberry32 } from './random.js';
import type { ImageShape } from './types.js';

/** The augmentations morphnet applies. */
export const AUGMENTATIONS = ['flip', 'crop'] as const;

/** One augmentation. */
export type Augmentation = (typeof AUGMENTATIONS)[number];

/** Checks a list of augmentation names (the `augment` option); returns it without repeats. */
export function checkAugment(augment: readonly string[] | undefined): Augmentation[] {
  const out = new Set<Augmentation>();
  for (const a of augment ?? []) {
    if (!(AUGMENTATIONS as readonly string[]).includes(a)) {
      throw new MorphnetError(`unknown augmentation "${a}" in the augment option; use flip, crop or both.`);
    }
    out.add(a as Augmentation);
  }
  return [...out];
}

/** The seed of the image at `position` of `epoch` (a 32-bit mix of the three). */
export function augmentSeed(seed: number, epoch: number, position: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (epoch + 0x7f4a7c15), 0xc2b2ae35);
  h = Math.imul(h ^ (position + 0x165667b1), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Padding of `crop` for a side of `size` pixels: 1/8 of it, rounded. */
export function cropPadding(size: number): number {
  return Math.round(size / 8);
}

/**
 * Augments one image in place: `data` holds it from `offset`, HWC in `shape`. Flip and crop draw from
 * `seed`'s generator (flip first, then the crop's row and column offsets).
 */
export function augmentImage(
  data: Float32Array,
  offset: number,
  shape: ImageShape,
  augment: readonly Augmentation[],
  seed: number,
): void {
  if (augment.length === 0) return;
  const [h, w, c] = shape;
  const random = mulberry32(seed);
  const flip = augment.includes('flip') && random() < 0.5;
  let dy = 0;
  let dx = 0;
  if (augment.includes('crop')) {
    const ph = cropPadding(h);
    const pw = cropPadding(w);
    dy = Math.floor(random() * (2 * ph + 1)) - ph;
    dx = Math.floor(random() * (2 * pw + 1)) - pw;
  }
  if (!flip && dy === 0 && dx === 0) return;
  const source = data.slice(offset, offset + h * w * c);
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    for (let x = 0; x < w; x++) {
      const sx = (flip ? w - 1 - x : x) + dx;
      const to = offset + (y * w + x) * c;
      const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
      for (let k = 0; k < c; k++) data[to + k] = inside ? source[(sy * w + sx) * c + k] : 0;
    }
  }
}
