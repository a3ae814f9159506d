/**
 * The λ controller on a simulated cost response: a 3-conv + dense chain (MNIST-like FLOP coefficients)
 * whose channels' γ follow SGD with momentum under a task pull `k_i·(g*_i − γ_i)` (random utilities), the
 * L1 push `λ·w_i·sign(γ_i)` with cost weights w recomputed from the alive counts, and gradient noise.
 * A channel can only die when λ·w_i outweighs its utility, and only after γ has travelled to the
 * threshold (the dead time the controller must handle).
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 as mulberry } from '../../src/data/random.js';
import { initialLambda, LambdaController } from '../../src/train/lambda-control.js';

function simulate(budgetFraction: number, seed: number, totalSteps = 600) {
  const rand = mulberry(seed);
  const widths = [16, 32, 64];
  const a = [2 * 28 * 28 * 9, 2 * 14 * 14 * 9, 2 * 7 * 7 * 9, 2]; // conv1..3, dense to 10
  const nIn0 = 1;
  const nOut = 10;
  const layers = widths.map((w) =>
    Array.from({ length: w }, () => ({
      g: 1,
      v: 0,
      target: 0.3 + 1.2 * rand(),
      k: Math.exp(-3 + 3 * rand()) * 0.2,
    })),
  );
  const threshold = 0.01;
  const alive = (thr = threshold) => layers.map((l) => l.filter((c) => Math.abs(c.g) > thr).length || 1);
  const cost = (n: number[]) =>
    a[0] * nIn0 * n[0] + a[1] * n[0] * n[1] + a[2] * n[1] * n[2] + a[3] * n[2] * nOut;
  const weights = (n: number[]) => [
    a[0] * nIn0 + a[1] * n[1],
    a[1] * n[0] + a[2] * n[2],
    a[2] * n[1] + a[3] * nOut,
  ];
  const c0 = cost(widths);
  const budget = budgetFraction * c0;
  const lr = 0.02;
  const momentum = 0.9;
  const w0 = weights(widths);
  const meanW = (w0[0] * 16 + w0[1] * 32 + w0[2] * 64) / 112;
  const lambda0 = initialLambda(1, meanW, lr / (1 - momentum), 0.4 * totalSteps);
  const control = new LambdaController({ initialCost: c0, budget, totalSteps, lambda0 });
  let w = w0;
  const trace: number[] = [];
  for (let step = 0; step < totalSteps; step++) {
    if (step % 10 === 0) {
      const n = alive();
      w = weights(n);
      control.update(step, cost(n), cost(alive(5 * threshold)));
      trace.push(cost(n) / c0);
    }
    layers.forEach((l, li) =>
      l.forEach((c) => {
        const grad =
          control.lambda * w[li] * Math.sign(c.g) - c.k * (c.target - c.g) + 0.002 * (rand() - 0.5);
        c.v = momentum * c.v + grad;
        c.g -= lr * c.v;
      }),
    );
  }
  return { final: cost(alive()), budget, c0, trace };
}

describe('λ controller on a simulated cost response', () => {
  for (const fraction of [0.75, 0.5, 0.25]) {
    it(`reaches a ${fraction * 100}% budget (≤ 1.05×) without collapsing the net`, () => {
      for (const seed of [1, 2, 3]) {
        const { final, budget } = simulate(fraction, seed);
        expect(final).toBeLessThanOrEqual(1.05 * budget);
        expect(final).toBeGreaterThan(0.6 * budget);
      }
    });
  }

  it('the target path starts at the initial cost, descends geometrically and holds under the budget', () => {
    const c = new LambdaController({ initialCost: 1000, budget: 250, totalSteps: 100, lambda0: 1 });
    expect(c.target(0)).toBe(1000);
    expect(c.target(10)).toBe(1000);
    expect(c.target(40)).toBeCloseTo(Math.sqrt(1000 * 242.5), 6);
    expect(c.target(70)).toBeCloseTo(242.5, 9);
    expect(c.target(99)).toBeCloseTo(242.5, 9);
  });

  it('raises λ while the cost is above the path (rate-limited), lowers it below, holds at the end', () => {
    const c = new LambdaController({ initialCost: 1000, budget: 500, totalSteps: 100, lambda0: 1 });
    expect(c.update(50, 1000)).toBeCloseTo(Math.exp(0.1), 9);
    // Anti-windup: a quarter of the rise while the preview cost is already under the path.
    expect(c.update(60, 1000, 500)).toBeCloseTo(Math.exp(0.125), 9);
    expect(c.update(80, 1000)).toBeCloseTo(Math.exp(0.225), 9);
    expect(c.update(80, 485 * Math.exp(-0.1))).toBeCloseTo(Math.exp(0.175), 9);
    // Past 90% of the run λ no longer falls.
    expect(c.update(95, 100)).toBeCloseTo(Math.exp(0.175), 9);
    expect(
      () => new LambdaController({ initialCost: 1000, budget: 1000, totalSteps: 1, lambda0: 1 }),
    ).toThrow();
  });
});
