/** The report's charts and tables, each built from the run's data (no I/O here). */
import { escapeHtml } from './escape.js';
import { formatChange, formatNanoseconds, formatNumber, formatPercent } from './format.js';
import { groupedBarChart, type BarSeries } from './svg/bars.js';
import { lineChart } from './svg/line.js';
import { scatterChart, type ScatterSeries } from './svg/scatter.js';
import type { HistoryStep, ModelFigures, ParetoResults, Phase, Summary, Target, Widths } from './types.js';

const UNITS: Record<Target, string> = {
  flops: 'FLOPs',
  size: 'kernel weights',
  latency: 'ns',
  activations: 'activations',
};

/** The unit of a target's cost, for labels. */
export function targetUnit(target: string): string {
  return UNITS[target as Target] ?? target;
}

/** The networks of a run in order: seed, uniform, then each cycle's shrunk and expanded networks. */
export function networks(summary: Summary): { name: string; kind: string; figures: ModelFigures }[] {
  const list = [
    { name: 'seed', kind: 'seed', figures: summary.seed },
    { name: 'uniform', kind: 'uniform', figures: summary.uniform },
  ];
  (summary.cycles ?? []).forEach((c, i) => {
    if (c?.shrunk) list.push({ name: `cycle ${i + 1} shrunk`, kind: 'shrunk', figures: c.shrunk });
    if (c?.expanded) list.push({ name: `cycle ${i + 1} expanded`, kind: 'expanded', figures: c.expanded });
  });
  return list.filter((n) => n.figures !== undefined && n.figures !== null);
}

/** The summary table: cost figures and accuracy of every network, with changes relative to the seed. */
export function summaryTable(summary: Summary): string {
  const showCost = summary.target !== 'flops' && networks(summary).some((n) => n.figures.cost !== undefined);
  const measured = networks(summary).find((n) => n.figures.measuredLatency)?.figures.measuredLatency;
  const unit = targetUnit(summary.target);
  const head = [
    'network',
    'FLOPs',
    'Δ FLOPs',
    'params',
    ...(showCost ? [`cost (${unit})`] : []),
    ...(measured ? [`measured latency (${measured.hardware}, batch 1)`, 'Δ latency'] : []),
    'accuracy',
    'Δ accuracy',
  ];
  const seed = summary.seed;
  const rows = networks(summary).map(({ name, figures: f }) => {
    const cells = [
      name,
      formatNumber(f.flops),
      formatChange(seed.flops, f.flops),
      formatNumber(f.params),
      ...(showCost ? [f.cost === undefined ? '–' : formatNumber(f.cost)] : []),
      ...(measured ? measuredCells(f, seed) : []),
      formatPercent(f.accuracy),
      Number.isFinite(f.accuracy) && Number.isFinite(seed.accuracy)
        ? `${f.accuracy >= seed.accuracy ? '+' : '−'}${(Math.abs(f.accuracy - seed.accuracy) * 100).toFixed(1)} pt`
        : '–',
    ];
    return `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`;
  });
  return table('summary', head, rows);
}

/** A network's measured latency (median, quartiles) and its change from the seed's median. */
function measuredCells(f: ModelFigures, seed: ModelFigures): string[] {
  const m = f.measuredLatency;
  if (!m) return ['–', '–'];
  const spread = `${formatNanoseconds(m.median)} (${formatNanoseconds(m.p25)}–${formatNanoseconds(m.p75)})`;
  return [spread, seed.measuredLatency ? formatChange(seed.measuredLatency.median, m.median) : '–'];
}

function table(kind: string, head: string[], rows: string[]): string {
  return (
    `<table class="${kind}"><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

/** The cost–accuracy scatter: seed, uniform baseline and MorphNet's networks per cycle, budget line. */
export function costAccuracyChart(summary: Summary): string {
  const list = networks(summary);
  const useCost =
    summary.target !== 'flops' && list.length > 0 && list.every((n) => Number.isFinite(n.figures.cost));
  const x = (f: ModelFigures) => (useCost ? (f.cost as number) : f.flops);
  const unit = useCost ? targetUnit(summary.target) : 'FLOPs';
  const point = (n: (typeof list)[number]) => ({ x: x(n.figures), y: n.figures.accuracy, label: n.name });
  const series: ScatterSeries[] = [
    { name: 'seed', points: list.filter((n) => n.kind === 'seed').map(point) },
    { name: 'uniform baseline', points: list.filter((n) => n.kind === 'uniform').map(point) },
    { name: 'MorphNet shrunk', points: list.filter((n) => n.kind === 'shrunk').map(point), connect: true },
    {
      name: 'MorphNet expanded',
      points: list.filter((n) => n.kind === 'expanded').map(point),
      connect: true,
    },
  ].filter((s) => s.points.length > 0);
  const budgetMatches = useCost || summary.target === 'flops';
  const references = [
    ...(budgetMatches && Number.isFinite(summary.budget) ? [{ x: summary.budget, label: 'budget' }] : []),
    ...(budgetMatches && summary.shrinkBudget !== undefined && Number.isFinite(summary.shrinkBudget)
      ? [{ x: summary.shrinkBudget, label: 'shrink budget' }]
      : []),
  ];
  return scatterChart({
    title: `Cost and accuracy (${unit})`,
    xLabel: `${unit} per example`,
    yLabel: 'test accuracy',
    series,
    references,
    formatY: (v) => `${(v * 100).toFixed(1)}%`,
  });
}

/** Layers in first-seen order across several width maps. */
function layerOrder(maps: (Widths | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const m of maps) for (const k of Object.keys(m ?? {})) seen.add(k);
  return [...seen];
}

/**
 * Per-layer channel widths: seed, uniform, and each cycle's shrunk and expanded networks from the summary;
 * without them, the alive counts of each phase's structure file.
 */
export function widthsChart(summary: Summary, phases: Phase[]): string {
  const named: { name: string; widths: Widths }[] = [];
  const w = summary.widths;
  if (w) {
    if (w.seed) named.push({ name: 'seed', widths: w.seed });
    if (w.uniform) named.push({ name: 'uniform', widths: w.uniform });
    (w.cycles ?? []).forEach((c, i) => {
      if (c?.shrunk) named.push({ name: `cycle ${i + 1} shrunk`, widths: c.shrunk });
      if (c?.expanded) named.push({ name: `cycle ${i + 1} expanded`, widths: c.expanded });
    });
  } else {
    for (const p of phases) if (p.structure?.alive) named.push({ name: p.name, widths: p.structure.alive });
  }
  const categories = layerOrder(named.map((n) => n.widths));
  const series: BarSeries[] = named.map((n) => ({
    name: n.name,
    values: categories.map((c) => n.widths[c]),
  }));
  return groupedBarChart({ title: 'Channels per layer', yLabel: 'output channels', categories, series });
}

/** The budget line for a phase's cost chart: the shrink budget while the regularizer acts, else the budget. */
function costReferences(steps: HistoryStep[], summary: Summary): { y: number; label: string }[] {
  const regularized = steps.some((s) => Number.isFinite(s.lambda) && s.lambda !== 0);
  if (regularized && summary.shrinkBudget !== undefined)
    return [{ y: summary.shrinkBudget, label: 'shrink budget' }];
  if (!regularized && Number.isFinite(summary.budget)) return [{ y: summary.budget, label: 'budget' }];
  return [];
}

/** Training curves of one phase: losses, alive cost (with the budget), λ, and accuracy when logged. */
export function phaseCharts(phase: Phase, summary: Summary): string[] {
  const steps = phase.history?.steps ?? [];
  if (steps.length === 0) return [];
  const unit = targetUnit(summary.target);
  const charts = [
    lineChart({
      title: `${phase.name}: losses`,
      xLabel: 'step',
      yLabel: 'loss',
      // history.json logs the regularization term in the target's cost unit, before λ: the loss the
      // optimizer sees is λ · term, drawn beside the task loss (absent from plain trainings, λ = 0).
      series: [
        { name: 'task loss', points: steps.map((s) => [s.step, s.loss]) },
        ...(steps.some((s) => s.lambda > 0)
          ? [
              {
                name: 'λ · regularizer',
                points: steps.map((s): [number, number] => [s.step, s.lambda * s.regularizer]),
              },
            ]
          : []),
      ],
      zero: true,
    }),
    lineChart({
      title: `${phase.name}: alive cost`,
      xLabel: 'step',
      yLabel: unit,
      series: [{ name: `cost (${unit})`, points: steps.map((s) => [s.step, s.cost]), color: '#009E73' }],
      references: costReferences(steps, summary),
      zero: true,
    }),
  ];
  const lambdas = steps.map((s) => s.lambda).filter(Number.isFinite);
  if (lambdas.some((l) => l !== 0)) {
    const positive = lambdas.filter((l) => l > 0);
    const wide = positive.length === lambdas.length && Math.max(...positive) / Math.min(...positive) > 50;
    charts.push(
      lineChart({
        title: `${phase.name}: λ`,
        xLabel: 'step',
        yLabel: 'λ',
        series: [
          {
            name: 'λ (regularization strength)',
            points: steps.map((s) => [s.step, s.lambda]),
            color: '#D55E00',
          },
        ],
        yScale: wide ? 'log' : 'linear',
        zero: !wide,
      }),
    );
  }
  const accuracy = steps.filter((s) => s.accuracy !== undefined && Number.isFinite(s.accuracy));
  if (accuracy.length > 0) {
    charts.push(
      lineChart({
        title: `${phase.name}: held-out accuracy`,
        xLabel: 'step',
        yLabel: 'accuracy',
        series: [
          { name: 'accuracy', points: accuracy.map((s) => [s.step, s.accuracy as number]), color: '#CC79A7' },
        ],
        formatY: (v) => `${(v * 100).toFixed(0)}%`,
      }),
    );
  }
  return charts;
}

/** Cost before and after each phase that has a structure file, plus the last logged cost of each history. */
export function phaseCostTable(phases: Phase[], summary: Summary): string {
  const rows = phases
    .filter((p) => p.structure || (p.history?.steps?.length ?? 0) > 0)
    .map((p) => {
      const last = p.history?.steps?.at(-1);
      const before = p.structure?.cost?.before;
      const after = p.structure?.cost?.after;
      const cells = [
        p.name,
        p.structure ? targetUnit(String(p.structure.target)) : targetUnit(summary.target),
        before === undefined ? '–' : formatNumber(before),
        after === undefined ? '–' : formatNumber(after),
        before !== undefined && after !== undefined ? formatChange(before, after) : '–',
        last ? formatNumber(last.step) : '–',
        last ? formatNumber(last.cost) : '–',
      ];
      return `<tr>${cells.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`;
    });
  if (rows.length === 0) return '';
  return table(
    'phases',
    ['phase', 'unit', 'cost before', 'cost after', 'change', 'steps', 'last logged cost'],
    rows,
  );
}

/** One chart per seed net of the Pareto benchmark: accuracy (mean ± spread) against cost, one series per method. */
export function paretoCharts(pareto: ParetoResults): string[] {
  const entries = (pareto.entries ?? []).filter(
    (e) => e && Number.isFinite(e.cost) && Number.isFinite(e.accuracy?.mean),
  );
  const nets = [...new Set(entries.map((e) => e.net))];
  const unit = pareto.target ? targetUnit(String(pareto.target)) : 'FLOPs';
  return nets.map((net) => {
    const mine = entries.filter((e) => e.net === net);
    const methods = [...new Set(mine.map((e) => e.method))];
    const series: ScatterSeries[] = methods.map((method, m) => ({
      name: method,
      connect: true,
      points: mine
        .filter((e) => e.method === method)
        .sort((a, b) => a.cost - b.cost)
        .map((e) => ({
          x: e.cost,
          y: e.accuracy.mean,
          yErr: e.accuracy.spread,
          // Budget labels on the first method's points only, so labels do not pile up.
          label: m === 0 ? `${Math.round(e.budget * 100)}%` : undefined,
        })),
    }));
    return scatterChart({
      title: `Pareto benchmark: ${net}${pareto.dataset ? ` on ${pareto.dataset}` : ''}`,
      xLabel: `${unit} per example`,
      yLabel: `test accuracy${pareto.spread ? ` (mean ± ${pareto.spread})` : ' (mean ± spread)'}`,
      series,
      formatY: (v) => `${(v * 100).toFixed(1)}%`,
    });
  });
}
