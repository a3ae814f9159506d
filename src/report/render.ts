/** The report page: one self-contained HTML file (inline CSS and SVG, no script, no network). */
import { escapeHtml } from './escape.js';
import { formatNumber } from './format.js';
import {
  costAccuracyChart,
  paretoCharts,
  phaseCharts,
  phaseCostTable,
  summaryTable,
  targetUnit,
  widthsChart,
} from './sections.js';
import type { ReportInput } from './types.js';

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.meta { color: #555; margin: 0 0 8px; } .meta span { margin-right: 18px; } .note { color: #666; font-style: italic; }
table { border-collapse: collapse; background: #fff; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 10px; text-align: right; font-variant-numeric: tabular-nums; }
th[scope=row], thead th:first-child { text-align: left; } thead th { background: #f0f0f0; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; } .scroll { overflow-x: auto; }
svg.chart { background: #fff; border: 1px solid #e2e2e2; font: 11px system-ui, "DejaVu Sans", sans-serif; }
svg.chart text { fill: #333; } svg.chart .chart-title { font-size: 13px; font-weight: 600; }
svg.chart .axis, svg.chart .tick { stroke: #444; } svg.chart .grid { stroke: #eee; }
svg.chart .axis-label { font-size: 12px; fill: #444; } svg.chart .empty { fill: #888; font-style: italic; }
svg.chart .point-label { font-size: 10px; fill: #555; }
`;

/** Renders the whole report as an HTML string from a run's summary, phases and optional Pareto results. */
export function renderReport(input: ReportInput): string {
  const { summary } = input;
  const phases = input.phases ?? [];
  const title = input.title ?? 'MorphNet run report';
  const unit = targetUnit(summary.target);
  const meta = [
    summary.model !== undefined ? `model: ${summary.model}` : '',
    summary.data !== undefined ? `data: ${summary.data}` : '',
    `target: ${summary.target}`,
    `budget: ${formatNumber(summary.budget)} ${unit}`,
    summary.shrinkBudget !== undefined ? `shrink budget: ${formatNumber(summary.shrinkBudget)} ${unit}` : '',
    `cycles: ${summary.cycles?.length ?? 0}`,
  ].filter(Boolean);
  const parts: string[] = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${meta.map((m) => `<span>${escapeHtml(m)}</span>`).join('')}</p>`,
    '<h2>Networks</h2>',
    summaryTable(summary),
    '<h2>Cost and accuracy</h2>',
    `<div class="charts">${costAccuracyChart(summary)}</div>`,
  ];
  const pareto = input.pareto ? paretoCharts(input.pareto) : [];
  if (pareto.length > 0) {
    parts.push(
      '<h3>Pareto benchmark: MorphNet against uniform width</h3>',
      `<div class="charts">${pareto.join('')}</div>`,
    );
  }
  parts.push('<h2>Channels per layer</h2>', `<div class="scroll">${widthsChart(summary, phases)}</div>`);
  const curves = phases
    .map((p) => ({ phase: p, charts: phaseCharts(p, summary) }))
    .filter((c) => c.charts.length > 0);
  parts.push('<h2>Training</h2>');
  if (curves.length === 0) parts.push('<p class="note">No training history was found.</p>');
  for (const { phase, charts } of curves) {
    parts.push(`<h3>${escapeHtml(phase.name)}</h3>`, `<div class="charts">${charts.join('')}</div>`);
  }
  const costs = phaseCostTable(phases, summary);
  if (costs) parts.push('<h2>Cost per phase</h2>', costs);
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head>` +
    `<body><main>${parts.join('\n')}</main></body></html>\n`
  );
}
