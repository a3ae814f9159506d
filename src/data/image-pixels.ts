/**
 * From decoded RGBA to a model's input: channels converted (RGB → gray by ITU-R BT.601 luma, the weights
 * of `tf.image.rgbToGrayscale` and of libjpeg; gray → RGB by copying; alpha dropped, not composited),
 * resized bilinearly to H×W, pixels / 255.
 *
 * The resize is `tf.image.resizeBilinear(x, [H, W], alignCorners = false, halfPixelCenters = true)`: pixel
 * centres at half-integers, no antialiasing, edges clamped. That is TensorFlow 2's `tf.image.resize`,
 * which Keras' `image_dataset_from_directory` uses, and the convention of PIL/OpenCV's plain bilinear
 * upscaling. (tf.js's own default, `halfPixelCenters = false`, shifts the image by half a pixel.)
 */
import type { DecodedImage } from './image-decode.js';
import type { ImageShape } from './types.js';

/** BT.601 luma weights (R, G, B). */
const LUMA = [0.299, 0.587, 0.114] as const;

/** The image's pixels in `channels` (1 or 3) planes-interleaved channels, as float values 0–255. */
export function convertChannels(image: DecodedImage, channels: 1 | 3): Float32Array {
  const n = image.width * image.height;
  const { rgba } = image;
  const out = new Float32Array(n * channels);
  if (channels === 3) {
    for (let i = 0; i < n; i++) {
      out[i * 3] = rgba[i * 4];
      out[i * 3 + 1] = rgba[i * 4 + 1];
      out[i * 3 + 2] = rgba[i * 4 + 2];
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[i] = LUMA[0] * rgba[i * 4] + LUMA[1] * rgba[i * 4 + 1] + LUMA[2] * rgba[i * 4 + 2];
    }
  }
  return out;
}

/** Source rows (or columns) and weights of each output row: floor, ceil and the fraction between them. */
interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

const tapCache = new Map<string, Taps>();

/** tf.js's half-pixel-centre source coordinates for `outSize` samples of `inSize` (tfjs-backend-cpu ResizeBilinear). */
function taps(inSize: number, outSize: number): Taps {
  const key = `${inSize}>${outSize}`;
  const cached = tapCache.get(key);
  if (cached) return cached;
  const scale = inSize / outSize;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const source = scale * (o + 0.5) - 0.5;
    lo[o] = Math.max(0, Math.floor(source));
    hi[o] = Math.min(inSize - 1, Math.ceil(source));
    frac[o] = source - lo[o];
  }
  if (tapCache.size > 64) tapCache.clear();
  tapCache.set(key, { lo, hi, frac });
  return { lo, hi, frac };
}

/**
 * Resizes HWC pixels `src` (`height × width`, `stride` values per pixel, of which the first `channels`
 * are read) to `outHeight × outWidth × channels`, multiplies by `scale`, and writes them into `out` from
 * `offset`. `stride` defaults to `channels`; 4 with 3 channels reads RGB out of RGBA.
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  out: Float32Array,
  offset = 0,
  scale = 1,
  stride = channels,
): void {
  if (height === outHeight && width === outWidth) {
    copyScaled(src, height * width, channels, stride, out, offset, scale);
    return;
  }
  const rows = taps(height, outHeight);
  const cols = taps(width, outWidth);
  let k = offset;
  for (let r = 0; r < outHeight; r++) {
    const top = rows.lo[r] * width * stride;
    const bottom = rows.hi[r] * width * stride;
    const fy = rows.frac[r];
    for (let c = 0; c < outWidth; c++) {
      const left = cols.lo[c] * stride;
      const right = cols.hi[c] * stride;
      const fx = cols.frac[c];
      for (let d = 0; d < channels; d++) {
        const tl = src[top + left + d];
        const t = tl + (src[top + right + d] - tl) * fx;
        const bl = src[bottom + left + d];
        const b = bl + (src[bottom + right + d] - bl) * fx;
        out[k++] = (t + (b - t) * fy) * scale;
      }
    }
  }
}

/** The same-size case of `resizeBilinear`: every source value once, scaled. */
function copyScaled(
  src: ArrayLike<number>,
  pixels: number,
  channels: number,
  stride: number,
  out: Float32Array,
  offset: number,
  scale: number,
): void {
  let k = offset;
  for (let i = 0; i < pixels; i++) {
    for (let d = 0; d < channels; d++) out[k++] = src[i * stride + d] * scale;
  }
}

/** Writes a decoded image into `out` at `offset` as the model's input: `shape` [H, W, C], values in [0, 1]. */
export function imageToInput(
  image: DecodedImage,
  shape: ImageShape,
  out: Float32Array,
  offset: number,
): void {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new Error(`images convert to 1 or 3 channels, not ${c}`);
  // RGB reads straight from RGBA (alpha skipped); gray converts first, then resizes one plane.
  const [pixels, stride] = c === 3 ? [image.rgba, 4] : [convertChannels(image, 1), 1];
  resizeBilinear(pixels, image.height, image.width, c, h, w, out, offset, 1 / 255, stride);
}
