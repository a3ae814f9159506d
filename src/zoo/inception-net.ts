/**
 * `inception-net`: a small Inception-style net for CIFAR size (32×32×3 by default). Each Inception block
 * concatenates four branches, every conv followed by BN (momentum 0.9) and ReLU:
 * `{p}_b1` (1×1), `{p}_b3_reduce` (1×1) → `{p}_b3` (3×3), `{p}_b5_reduce` (1×1) → `{p}_b5a` → `{p}_b5b`
 * (two 3×3, a factorised 5×5), `{p}_pool` (3×3/1 max-pool) → `{p}_pool_proj` (1×1), joined by `{p}_concat`.
 * Residual blocks add the block input to the concatenation (`{p}_add`) and apply `{p}_out` (ReLU).
 *
 * Layout: `stem` (3×3, 48) → `i1` (16+16+8+8 = 48, residual) → `pool1` → `i2` (32+48+24+24 = 128) → `pool2`
 * → `i3` (128, residual) → `gap` → `predictions`.
 */
import type * as tf from '@tensorflow/tfjs';
import { NetBuilder, SMALL_BN, type Sym } from './builder.js';
import type { ResolvedOptions } from './options.js';

/** Branch widths of an Inception block. */
interface InceptionWidths {
  b1: number;
  b3r: number;
  b3: number;
  b5r: number;
  b5: number;
  pool: number;
}

/** One Inception block; with `residual` the input is added to the concatenation (widths must match). */
function inception(b: NetBuilder, x: Sym, p: string, w: InceptionWidths, residual: boolean): Sym {
  const b1 = b.convBnRelu(x, `${p}_b1`, w.b1, 1);
  const b3 = b.convBnRelu(b.convBnRelu(x, `${p}_b3_reduce`, w.b3r, 1), `${p}_b3`, w.b3, 3);
  let b5 = b.convBnRelu(x, `${p}_b5_reduce`, w.b5r, 1);
  b5 = b.convBnRelu(b.convBnRelu(b5, `${p}_b5a`, w.b5, 3), `${p}_b5b`, w.b5, 3);
  const pool = b.convBnRelu(b.maxPool(x, `${p}_pool`, 3, 1, 'same'), `${p}_pool_proj`, w.pool, 1);
  const cat = b.concat([b1, b3, b5, pool], `${p}_concat`);
  if (!residual) return cat;
  return b.relu(b.add([x, cat], `${p}_add`), `${p}_out`);
}

/** Builds `inception-net`. */
export function buildInceptionNet(o: ResolvedOptions): tf.LayersModel {
  const b = new NetBuilder(o.seed, SMALL_BN);
  const input = b.input(o.inputShape);
  let x = b.convBnRelu(input, 'stem', 48, 3);
  x = inception(b, x, 'i1', { b1: 16, b3r: 16, b3: 16, b5r: 8, b5: 8, pool: 8 }, true);
  x = b.maxPool(x, 'pool1');
  x = inception(b, x, 'i2', { b1: 32, b3r: 32, b3: 48, b5r: 16, b5: 24, pool: 24 }, false);
  x = b.maxPool(x, 'pool2');
  x = inception(b, x, 'i3', { b1: 32, b3r: 32, b3: 48, b5r: 16, b5: 24, pool: 24 }, true);
  x = b.gap(x);
  return b.model(input, b.dense(x, 'predictions', o.classes, 'softmax'), 'inception-net');
}
