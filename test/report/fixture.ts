/** A fabricated run for the report tests: 3 layers (one named `<b>&`), 2 cycles, 3 phases, a Pareto file. */
import type { HistoryStep, ParetoResults, Phase, ReportInput, Summary } from '../../src/report/types.js';

export const LAYERS = ['stem', 'block<b>&', 'head'];

export function fabricatedSummary(): Summary {
  return {
    seed: { flops: 4_000_000, params: 50_000, accuracy: 0.91 },
    uniform: { flops: 3_900_000, params: 48_000, accuracy: 0.895 },
    cycles: [
      {
        shrunk: { flops: 2_000_000, params: 30_000, accuracy: 0.88 },
        expanded: { flops: 3_950_000, params: 52_000, accuracy: 0.915 },
      },
      {
        shrunk: { flops: 2_050_000, params: 29_000, accuracy: 0.885 },
        expanded: { flops: 3_980_000, params: 53_000, accuracy: 0.92 },
      },
    ],
    target: 'flops',
    budget: 4_000_000,
    shrinkBudget: 2_000_000,
    model: 'zoo:tiny',
    data: 'mnist',
    widths: {
      seed: { stem: 32, 'block<b>&': 16, head: 64 },
      uniform: { stem: 30, 'block<b>&': 15, head: 60 },
      cycles: [
        // The head is missing from cycle 1's shrunk widths: that bar is not drawn.
        { shrunk: { stem: 12, 'block<b>&': 10 }, expanded: { stem: 20, 'block<b>&': 16, head: 70 } },
        { shrunk: { stem: 11, 'block<b>&': 9, head: 40 }, expanded: { stem: 19, 'block<b>&': 16, head: 72 } },
      ],
    },
  };
}

/** `n` logged steps; λ constant at `lambda` (0: a plain training phase); accuracy every 10th step. */
export function history(n: number, lambda: number): { steps: HistoryStep[] } {
  return {
    steps: Array.from({ length: n }, (_, i) => ({
      step: (i + 1) * 10,
      epoch: Math.floor(i / 20),
      loss: 2.3 * Math.exp(-i / 15) + 0.05,
      regularizer: lambda ? lambda * 1e6 * Math.exp(-i / 30) : 0,
      cost: lambda ? 4e6 - 2e6 * (1 - Math.exp(-i / 10)) : 4e6,
      lambda: lambda ? lambda * (1 + i / n) : 0,
      ...(i % 10 === 9 ? { accuracy: 0.5 + 0.4 * (1 - Math.exp(-i / 10)) } : {}),
      alive: { stem: 32, 'block<b>&': 16, head: 64 },
    })),
  };
}

export function fabricatedPhases(): Phase[] {
  return [
    { name: 'seed', history: history(40, 0) },
    {
      name: 'cycle-1/shrink',
      history: history(40, 1e-7),
      structure: {
        version: 1,
        target: 'flops',
        threshold: 0.01,
        alive: { stem: 12, 'block<b>&': 10, head: 64 },
        cost: { before: 4_000_000, after: 2_000_000 },
      },
    },
    { name: 'cycle-1/retrain', history: history(40, 0) },
  ];
}

export function fabricatedPareto(): ParetoResults {
  const entries: ParetoResults['entries'] = [];
  for (const net of ['net A', 'net<B>'])
    for (const method of ['morphnet', 'uniform'])
      for (const budget of [0.25, 0.5, 1])
        entries.push({
          net,
          method,
          budget,
          cost: budget * 4e6,
          accuracy: {
            mean: 0.8 + budget * 0.1 + (method === 'morphnet' ? 0.01 : 0),
            spread: 0.004,
            values: [],
          },
        });
  return { dataset: 'fashion-mnist', target: 'flops', spread: 'std', entries };
}

export function fabricatedInput(): ReportInput {
  return {
    title: 'Test run',
    summary: fabricatedSummary(),
    phases: fabricatedPhases(),
    pareto: fabricatedPareto(),
  };
}
