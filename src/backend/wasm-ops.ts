/**
 * Small helpers for writing wasm kernels out of other wasm kernels: run a registered wasm kernel on
 * TensorInfos, free intermediates, view data on the wasm heap, and a few layout moves done in plain JS
 * on the heap (zero insertion, spatial crop, filter rotation) that the wasm backend lacks.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's `BackendWasm` our kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Explicit NHWC padding as tfjs' `computeConv2DInfo` takes it. */
export type Pads = { top: number; bottom: number; left: number; right: number };

/** Run the wasm backend's registered kernel `name` directly (no tape, no engine bookkeeping). */
export function runWasmKernel(
  name: string,
  backend: WasmBackendLike,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`wasm kernel '${name}' is not registered`);
  const out = kernel.kernelFunc({
    inputs,
    attrs: attrs as tf.NamedAttrMap,
    backend: backend as unknown as tf.KernelBackend,
  });
  return Array.isArray(out) ? out[0] : out;
}

/** Free intermediate results (TensorInfos this kernel made and does not return). */
export function free(backend: WasmBackendLike, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A float32 view of a tensor's data on the wasm heap; take it after the last allocation. */
export function heapF32(backend: WasmBackendLike, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The same data under another shape (no copy, shares the dataId: free only one of the two). */
export function view(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Transpose with the wasm kernel (slow on wasm for 4-D permutations: prefer the two below). */
export function transpose(backend: WasmBackendLike, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runWasmKernel('Transpose', backend, { x }, { perm });
}

/** `[A, B, C, D] -> [B, C, A, D]` (perm `[1, 2, 0, 3]`): moves whole rows of D, in JS on the heap. */
export function swapOuter(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  const [A, B, C, D] = x.shape;
  const BC = B * C;
  const out = backend.makeOutput([B, C, A, D], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  for (let bc = 0; bc < BC; bc++) {
    for (let a = 0; a < A; a++) {
      const s = (a * BC + bc) * D;
      const d = (bc * A + a) * D;
      for (let k = 0; k < D; k++) dst[d + k] = src[s + k];
    }
  }
  return out;
}

/**
 * `[A, B, C, D] -> [D, B, C, A]` (perm `[3, 1, 2, 0]`): one small A×D transpose per (b, c) position,
 * so each step touches only a few cache lines, in JS on the heap.
 */
export function swapFirstLast(backend: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo {
  const [A, B, C, D] = x.shape;
  const BC = B * C;
  const out = backend.makeOutput([D, B, C, A], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  const dStride = BC * A;
  const sStride = BC * D;
  for (let bc = 0; bc < BC; bc++) {
    const s0 = bc * D;
    const d0 = bc * A;
    for (let d = 0; d < D; d++) {
      const dd = d * dStride + d0;
      let s = s0 + d;
      for (let a = 0; a < A; a++, s += sStride) dst[dd + a] = src[s];
    }
  }
  return out;
}

/**
 * Forward NHWC convolution on XNNPACK with explicit non-negative padding (stride 1 unless given).
 * `depthwise` picks DepthwiseConv2dNative instead of Conv2D.
 */
export function convExplicit(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pads: Pads,
  dilations: [number, number] = [1, 1],
  depthwise = false,
): tf.TensorInfo {
  const pad = [
    [0, 0],
    [pads.top, pads.bottom],
    [pads.left, pads.right],
    [0, 0],
  ];
  return runWasmKernel(
    depthwise ? 'DepthwiseConv2dNative' : 'Conv2D',
    backend,
    { x, filter },
    {
      strides: [1, 1],
      pad,
      dilations,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    },
  );
}

/**
 * Stride-1 convolution whose padding may be negative on any side (negative = crop): runs with the
 * padding clamped to ≥ 0 and crops the result to `outH × outW`.
 */
export function convAnyPad(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  pads: Pads,
  outH: number,
  outW: number,
  dilations: [number, number] = [1, 1],
  depthwise = false,
): tf.TensorInfo {
  const clamped = {
    top: Math.max(0, pads.top),
    bottom: Math.max(0, pads.bottom),
    left: Math.max(0, pads.left),
    right: Math.max(0, pads.right),
  };
  const y = convExplicit(backend, x, filter, clamped, dilations, depthwise);
  const offH = clamped.top - pads.top;
  const offW = clamped.left - pads.left;
  if (offH === 0 && offW === 0 && y.shape[1] === outH && y.shape[2] === outW) return y;
  const cropped = crop(backend, y, offH, offW, outH, outW);
  free(backend, y);
  return cropped;
}

/** NHWC spatial crop: rows [top, top+h), columns [left, left+w). */
export function crop(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  top: number,
  left: number,
  h: number,
  w: number,
): tf.TensorInfo {
  const [n, H, W, c] = x.shape;
  const out = backend.makeOutput([n, h, w, c], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      const s = ((b * H + top + i) * W + left) * c;
      dst.set(src.subarray(s, s + w * c), (b * h + i) * w * c);
    }
  }
  return out;
}

/** NHWC zero insertion: `sh - 1` zero rows between rows and `sw - 1` zero columns between columns. */
export function zeroInsert(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  sh: number,
  sw: number,
): tf.TensorInfo {
  const [n, h, w, c] = x.shape;
  const H = (h - 1) * sh + 1;
  const W = (w - 1) * sw + 1;
  const out = backend.makeOutput([n, H, W, c], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  dst.fill(0);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const s = ((b * h + i) * w + j) * c;
        dst.set(src.subarray(s, s + c), ((b * H + i * sh) * W + j * sw) * c);
      }
    }
  }
  return out;
}

/**
 * Filter `[kh, kw, a, b]` rotated by 180° in space and with its two channel axes swapped:
 * `out[kh-1-i, kw-1-j, q, p] = f[i, j, p, q]`, shape `[kh, kw, b, a]`.
 */
export function rotateSwapFilter(backend: WasmBackendLike, f: tf.TensorInfo): tf.TensorInfo {
  const [kh, kw, a, b] = f.shape;
  const out = backend.makeOutput([kh, kw, b, a], 'float32');
  const src = heapF32(backend, f);
  const dst = heapF32(backend, out);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const so = (i * kw + j) * a * b;
      const d0 = ((kh - 1 - i) * kw + (kw - 1 - j)) * a * b;
      for (let p = 0; p < a; p++) {
        for (let q = 0; q < b; q++) dst[d0 + q * a + p] = src[so + p * b + q];
      }
    }
  }
  return out;
}

/**
 * The stride-sampled pixels of an NHWC tensor as a `[C, P]` matrix, `P = N·OH·OW`:
 * `out[c, (n, oy, ox)] = x[n, oy·sh, ox·sw, c]` (a blocked transpose in JS on the heap).
 */
export function sampledChannelsFirst(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  sh: number,
  sw: number,
  oh: number,
  ow: number,
): tf.TensorInfo {
  const [n, H, W, C] = x.shape;
  const P = n * oh * ow;
  const out = backend.makeOutput([C, P], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  const BLOCK = 16;
  const offs = new Int32Array(BLOCK);
  for (let p0 = 0; p0 < P; p0 += BLOCK) {
    const len = Math.min(BLOCK, P - p0);
    for (let k = 0; k < len; k++) {
      const p = p0 + k;
      const b = Math.floor(p / (oh * ow));
      const r = p - b * oh * ow;
      const oy = Math.floor(r / ow);
      const ox = r - oy * ow;
      offs[k] = ((b * H + oy * sh) * W + ox * sw) * C;
    }
    for (let c = 0; c < C; c++) {
      const d = c * P + p0;
      for (let k = 0; k < len; k++) dst[d + k] = src[offs[k] + c];
    }
  }
  return out;
}
