/**
 * Dead-channel constant rules shared by several classes: copy the input's constant (pooling, padding,
 * cropping), map it through a scalar function (activations, affine layers), combine several inputs
 * (merges).
 */
import type { ConstantContext, TensorConstants } from './types.js';

/** Copies input constants to the dead outputs: output i takes input `index(i)`. */
export function copyDead(
  ctx: ConstantContext,
  index: (i: number) => number = (i) => i,
  keepExact = true,
): void {
  const src = ctx.input(0);
  const { value, exact } = ctx.out;
  for (let i = 0; i < ctx.size; i++) {
    if (!ctx.dead(i)) continue;
    const j = index(i);
    value[i] = src.value[j];
    exact[i] = keepExact || value[i] === 0 ? src.exact[j] : 0;
  }
}

/** Maps the input constant of each dead channel through `f(x, channel)` (NaN: unknown). */
export function mapDead(ctx: ConstantContext, f: (x: number, channel: number) => number): void {
  const src = ctx.input(0);
  const { value, exact } = ctx.out;
  for (let i = 0; i < ctx.size; i++) {
    if (!ctx.dead(i) || i >= src.value.length) continue;
    value[i] = f(src.value[i], i);
    exact[i] = Number.isFinite(value[i]) ? src.exact[i] : 0;
  }
}

/** Combines the inputs' constants of each dead channel; a one-channel (broadcast) input makes it unknown. */
export function combineDead(ctx: ConstantContext, combine: (xs: number[]) => number): void {
  const srcs: TensorConstants[] = ctx.op.inputs.map((_, k) => ctx.input(k));
  const n = ctx.size;
  const { value, exact } = ctx.out;
  for (let i = 0; i < n; i++) {
    if (!ctx.dead(i)) continue;
    const xs = srcs.map((s) => (s.value.length === n ? s.value[i] : NaN));
    value[i] = combine(xs);
    exact[i] = srcs.every((s) => s.value.length === n && s.exact[i]) ? 1 : 0;
  }
}
