/** Small learnable data for trainer tests: 8×8×1 images whose class is the bright quadrant (plus noise). */
import type { Split } from '../../src/data/types.js';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` 8×8×1 images in [0, 1], 4 classes (the quadrant holding a bright blob). */
export function quadrants(count: number, seed: number): Split {
  const r = rng(seed);
  const images = new Float32Array(count * 64);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const k = Math.floor(r() * 4);
    labels[n] = k;
    const oy = k < 2 ? 0 : 4;
    const ox = k % 2 === 0 ? 0 : 4;
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        const inside = y >= oy && y < oy + 4 && x >= ox && x < ox + 4;
        images[n * 64 + y * 8 + x] = Math.min(1, Math.max(0, (inside ? 0.7 : 0.2) + 0.3 * (r() - 0.5)));
      }
  }
  return { images, labels, count, imageShape: [8, 8, 1], classes: 4 };
}
