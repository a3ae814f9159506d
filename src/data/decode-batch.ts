/**
 * One decoding job: read a batch's image files, decode them, convert them to the model's input (channels,
 * bilinear resize, / 255) and augment them. Runs in a decode worker thread, or in the calling thread.
 */
import { readFileSync } from 'node:fs';
import { augmentImage, type Augmentation } from './augment.js';
import { decodeImage } from './image-decode.js';
import { imageToInput } from './image-pixels.js';
import type { ImageShape } from './types.js';

/** A batch to decode. */
export interface DecodeJob {
  id: number;
  files: string[];
  shape: ImageShape;
  augment: Augmentation[];
  /** The augmentation seed of each file (ignored without augmentation). */
  seeds: number[];
}

/** A decoded batch: the images that decoded, in job order, and why the others did not. */
export interface DecodeResult {
  id: number;
  /** `kept.length × H × W × C` values in [0, 1]. */
  xs: Float32Array;
  /** Index (in `files`) of each image in `xs`. */
  kept: number[];
  /** One line per file that could not be read or decoded: `path: reason`. */
  failures: string[];
}

/** Decodes a job. Never throws for a bad file: it is left out and listed in `failures`. */
export async function decodeBatch(job: DecodeJob): Promise<DecodeResult> {
  const [h, w, c] = job.shape;
  const pixels = h * w * c;
  const full = new Float32Array(job.files.length * pixels);
  const kept: number[] = [];
  const failures: string[] = [];
  // Files are read synchronously: this runs on a decode thread of its own, where waiting on the
  // shared libuv pool for many small reads costs more than it saves.
  const images = [];
  for (const file of job.files) {
    try {
      images.push(await decodeImage(readFileSync(file)));
    } catch (e) {
      failures.push(`${file}: ${(e as Error).message ?? String(e)}`);
      images.push(null);
    }
  }
  images.forEach((image, i) => {
    if (!image) return;
    const offset = kept.length * pixels;
    imageToInput(image, job.shape, full, offset);
    augmentImage(full, offset, job.shape, job.augment, job.seeds[i]);
    kept.push(i);
  });
  const xs = kept.length === job.files.length ? full : full.slice(0, kept.length * pixels);
  return { id: job.id, xs, kept, failures };
}
