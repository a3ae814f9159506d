import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import type { ReportInput } from '../../src/report/types.js';
import { fabricatedInput, fabricatedSummary, history } from './fixture.js';
import { attributes, charts, checkWellFormed, count } from './svg-parse.js';

describe('renderReport on a fabricated run', () => {
  const html = renderReport(fabricatedInput());
  const all = charts(html);

  it('is one self-contained, well-formed page', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    checkWellFormed(html);
    expect(html).not.toMatch(/<script|<link|<img|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('draws one svg per chart: cost/accuracy, 2 Pareto nets, widths, 3 + 4 + 3 phase curves', () => {
    expect(all.length).toBe(14);
    expect(all.filter((c) => c.kind === 'scatter').length).toBe(3);
    expect(all.filter((c) => c.kind === 'bars').length).toBe(1);
    expect(all.filter((c) => c.kind === 'line').map((c) => c.title)).toEqual([
      'seed: losses',
      'seed: alive cost',
      'seed: held-out accuracy',
      'cycle-1/shrink: losses',
      'cycle-1/shrink: alive cost',
      'cycle-1/shrink: λ',
      'cycle-1/shrink: held-out accuracy',
      'cycle-1/retrain: losses',
      'cycle-1/retrain: alive cost',
      'cycle-1/retrain: held-out accuracy',
    ]);
    for (const c of all.filter((c) => c.kind === 'line')) {
      // λ · regularizer joins the task loss only where λ > 0 (the shrink); plain phases draw one line.
      expect(count(c.markup, 'path', 'line')).toBe(c.title === 'cycle-1/shrink: losses' ? 2 : 1);
    }
  });

  it('draws one bar per layer and network, heights proportional to the widths', () => {
    const bars = all.find((c) => c.kind === 'bars')!.markup;
    // 3 layers × 6 networks, minus cycle 1's shrunk head (absent).
    expect(count(bars, 'rect', 'bar')).toBe(17);
    const heights = attributes(bars, 'rect', 'bar', 'height');
    // Order: stem × 6 networks, block × 6, head × 5. seed: stem 32, block 16, head 64.
    expect(heights[0] / heights[6]).toBeCloseTo(32 / 16, 1);
    expect(heights[12] / heights[0]).toBeCloseTo(64 / 32, 1);
    expect(heights[4] / heights[0]).toBeCloseTo(11 / 32, 1);
  });

  it('places the cost/accuracy points on linear axes', () => {
    const scatter = all[0].markup;
    expect(all[0].title).toBe('Cost and accuracy (FLOPs)');
    expect(count(scatter, 'circle', 'point')).toBe(6);
    expect(count(scatter, 'line', 'reference')).toBe(2); // budget and shrink budget
    // Order: seed, uniform, shrunk 1, shrunk 2, expanded 1, expanded 2.
    const [cxSeed, cxUniform, cxShrunk] = attributes(scatter, 'circle', 'point', 'cx');
    const [cySeed, cyUniform, cyShrunk] = attributes(scatter, 'circle', 'point', 'cy');
    // FLOPs 4.0M, 3.9M, 2.0M; accuracy 91%, 89.5%, 88%.
    expect((cxSeed - cxUniform) / (cxSeed - cxShrunk)).toBeCloseTo(0.1 / 2, 2);
    expect((cyUniform - cySeed) / (cyShrunk - cySeed)).toBeCloseTo(0.015 / 0.03, 2);
  });

  it('draws Pareto points with error bars, one chart per seed net', () => {
    const pareto = all.filter((c) => c.title.startsWith('Pareto'));
    expect(pareto.map((c) => c.title)).toEqual([
      'Pareto benchmark: net A on fashion-mnist',
      'Pareto benchmark: net&lt;B&gt; on fashion-mnist',
    ]);
    for (const c of pareto) {
      expect(count(c.markup, 'circle', 'point')).toBe(6);
      expect(count(c.markup, 'path', 'error-bar')).toBe(6);
      expect(count(c.markup, 'path', 'connector')).toBe(2);
    }
  });

  it('escapes names everywhere', () => {
    expect(html).not.toContain('<b>&');
    expect(html).not.toContain('net<B>');
    expect(html).toContain('block&lt;b&gt;&amp;');
  });

  it('tabulates the networks and the phase costs', () => {
    const summary = /<table class="summary">(.*?)<\/table>/s.exec(html)![1];
    expect([...summary.matchAll(/<tr>/g)].length).toBe(1 + 6);
    expect(summary).toContain('<th scope="row">cycle 2 expanded</th><td>3.98M</td><td>−0.5%</td>');
    expect(summary).toContain('<td>92.0%</td><td>+1.0 pt</td>');
    const phases = /<table class="phases">(.*?)<\/table>/s.exec(html)![1];
    expect(phases).toContain(
      '<th scope="row">cycle-1/shrink</th><td>FLOPs</td><td>4M</td><td>2M</td><td>−50.0%</td>',
    );
  });
});

describe('renderReport with parts missing', () => {
  it('renders a bare summary: no widths, cycles, phases or Pareto results', () => {
    const summary = fabricatedSummary();
    delete summary.widths;
    summary.cycles = [];
    const html = renderReport({ summary });
    checkWellFormed(html);
    const all = charts(html);
    expect(all.map((c) => c.kind)).toEqual(['scatter', 'bars']);
    expect(count(all[0].markup, 'circle', 'point')).toBe(2);
    expect(count(all[1].markup, 'rect', 'bar')).toBe(0);
    expect(all[1].markup).toContain('no width data');
    expect(html).toContain('No training history was found.');
    expect(html).not.toContain('Pareto');
  });

  it('falls back to the phases’ structure files for widths', () => {
    const summary = fabricatedSummary();
    delete summary.widths;
    const input: ReportInput = {
      summary,
      phases: [
        {
          name: 'shrink',
          structure: {
            version: 1,
            target: 'flops',
            threshold: 0.01,
            alive: { a: 3, b: 5 },
            cost: { before: 10, after: 5 },
          },
        },
      ],
    };
    const bars = charts(renderReport(input)).find((c) => c.kind === 'bars')!.markup;
    expect(count(bars, 'rect', 'bar')).toBe(2);
  });

  it('uses the target’s cost on the x axis when every network has one, and shows it in the table', () => {
    const summary = fabricatedSummary();
    summary.target = 'size';
    summary.budget = 40_000;
    summary.seed.cost = 40_000;
    summary.uniform.cost = 39_000;
    for (const c of summary.cycles) {
      c.shrunk.cost = 20_000;
      c.expanded.cost = 39_500;
    }
    const html = renderReport({ summary });
    expect(charts(html)[0].title).toBe('Cost and accuracy (kernel weights)');
    expect(html).toContain('cost (kernel weights)');
  });

  it('breaks a curve at non-finite values instead of drawing them', () => {
    const h = history(10, 0);
    h.steps[4].loss = NaN;
    const html = renderReport({ summary: fabricatedSummary(), phases: [{ name: 'p', history: h }] });
    const losses = charts(html).find((c) => c.title === 'p: losses')!.markup;
    const d = /<path class="line" d="([^"]*)"/.exec(losses)![1];
    expect(d.match(/M/g)!.length).toBe(2);
    expect(d).not.toContain('NaN');
  });
});
