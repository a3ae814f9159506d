/** Small learnable data for trainer tests: 8×8×1 images whose class is the bright quadrant (plus noise). */
import type { Split } from '../../src/data/types.js';
import { mulberry32 } from '../../src/data/random.js';

/** `count` side×side×1 images in [0, 1], 4 classes (the quadrant holding a bright blob). */
export function quadrants(count: number, seed: number, side = 8): Split {
  const r = mulberry32(seed);
  const px = side * side;
  const half = side / 2;
  const images = new Float32Array(count * px);
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const k = Math.floor(r() * 4);
    labels[n] = k;
    const oy = k < 2 ? 0 : half;
    const ox = k % 2 === 0 ? 0 : half;
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const inside = y >= oy && y < oy + half && x >= ox && x < ox + half;
        images[n * px + y * side + x] = Math.min(1, Math.max(0, (inside ? 0.7 : 0.2) + 0.3 * (r() - 0.5)));
      }
  }
  return { images, labels, count, imageShape: [side, side, 1], classes: 4 };
}
