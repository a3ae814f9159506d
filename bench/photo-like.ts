/** Synthetic photo-like 96×96 RGB images for the data benchmarks: files of the sizes real photos give. */
import { mulberry32 } from '../src/data/index.js';

/** Side of the benchmark images. */
export const SIZE = 96;

/** One synthetic photo-like image: a colour gradient, a few discs and boxes, pixel noise. */
export function drawImage(seed: number): Uint8Array {
  const r = mulberry32(seed);
  const px = new Float32Array(SIZE * SIZE * 3);
  const base = [r(), r(), r()].map((v) => 60 + 120 * v);
  const slope = [r() - 0.5, r() - 0.5, r() - 0.5].map((v) => v * 2);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++)
      for (let c = 0; c < 3; c++) px[(y * SIZE + x) * 3 + c] = base[c] + slope[c] * (x + y - SIZE);
  for (let s = 0; s < 4; s++) {
    const [cx, cy, rad] = [r() * SIZE, r() * SIZE, 6 + r() * 20];
    const colour = [r() * 255, r() * 255, r() * 255];
    const disc = r() < 0.5;
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++) {
        const inside = disc
          ? (x - cx) ** 2 + (y - cy) ** 2 < rad * rad
          : Math.abs(x - cx) < rad && Math.abs(y - cy) < rad / 2;
        if (inside) for (let c = 0; c < 3; c++) px[(y * SIZE + x) * 3 + c] = colour[c];
      }
  }
  return Uint8Array.from(px, (v) => Math.max(0, Math.min(255, v + (r() - 0.5) * 16)));
}
