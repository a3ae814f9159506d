/** The data set types every loader returns and every trainer consumes (DESIGN.md "Data"). */

/** Image shape as height, width, channels (NHWC without the batch dimension). */
export type ImageShape = [number, number, number];

/** One split of a data set: `count` images, NHWC float32 in [0, 1] (pixels / 255), integer labels. */
export interface Split {
  /** count × H × W × C values in [0, 1], NHWC order. */
  images: Float32Array;
  /** Integer class of each image, 0 ≤ label < classes. */
  labels: Uint8Array;
  count: number;
  imageShape: ImageShape;
  classes: number;
}

/** A data set: a train split (validation is carved from it) and a separate test split. */
export interface Dataset {
  name: string;
  imageShape: ImageShape;
  classes: number;
  /** Human-readable class names, when known. */
  classNames?: string[];
  train: Split;
  test: Split;
}

/** Options every loader accepts. */
export interface LoadOptions {
  /** Keep only the first `limit` train images (for synthetic: generate that many). */
  limit?: number;
  /** Keep only the first `testLimit` test images (for synthetic: generate that many). */
  testLimit?: number;
  /** Seed of the synthetic generator (ignored by file-based sets). */
  seed?: number;
}
