/**
 * `analyze`: a model's cost layer by layer and its channel groups, as the JSON object of DESIGN.md
 * (`total`, `layers`, `groups`, `boundaries`) and as a readable table.
 */
import { hardware as lookupHardware, layerCosts, type LayerCost } from '../cost/index.js';
import type { ModelGraph } from '../graph/types.js';
import { analyzeGroups } from '../groups/index.js';
import type { GroupAnalysis } from '../groups/types.js';

/** The `analyze --json` report. */
export interface AnalysisReport {
  model: string;
  total: { flops: number; macs: number; params: number; size: number; latency?: number };
  layers: (Pick<
    LayerCost,
    'name' | 'className' | 'inChannels' | 'outChannels' | 'flops' | 'macs' | 'params'
  > & {
    size: number;
    latency?: number;
  })[];
  groups: {
    id: number;
    channels: number;
    layers: string[];
    prunable: boolean;
    sources: string[];
    pinned?: string;
  }[];
  boundaries: string[];
  hardware?: string;
}

/** Analyses a graph: per-layer costs at full width and the channel groups. */
export function analyzeGraph(
  graph: ModelGraph,
  options: { hardware?: string; groups?: GroupAnalysis } = {},
): AnalysisReport {
  const groups = options.groups ?? analyzeGroups(graph);
  const hw = options.hardware ? lookupHardware(options.hardware) : undefined;
  const rows = layerCosts(graph, groups, { hardware: hw });
  const report: AnalysisReport = {
    model: graph.name,
    total: {
      flops: rows.reduce((s, r) => s + r.flops, 0),
      macs: rows.reduce((s, r) => s + r.macs, 0),
      params: rows.reduce((s, r) => s + r.params, 0),
      size: rows.reduce((s, r) => s + r.size, 0),
    },
    layers: rows.map((r) => {
      const row: AnalysisReport['layers'][number] = {
        name: r.name,
        className: r.className,
        inChannels: r.inChannels,
        outChannels: r.outChannels,
        flops: r.flops,
        macs: r.macs,
        params: r.params,
        size: r.size,
      };
      if (r.latency !== undefined) row.latency = r.latency;
      return row;
    }),
    groups: groups.groups.map((g) => {
      const out: AnalysisReport['groups'][number] = {
        id: g.id,
        channels: g.channels,
        layers: g.layers,
        prunable: !g.pinned && g.sources.length > 0,
        sources: g.sources.map((s) => s.weight),
      };
      if (g.pinned) out.pinned = g.pinned;
      return out;
    }),
    boundaries: groups.boundaries,
  };
  if (hw) {
    report.hardware = hw.name;
    report.total.latency = rows.reduce((s, r) => s + (r.latency ?? 0), 0);
  }
  return report;
}

/** Formats a count with a k/M/G suffix (e.g. 569.4M). */
export function humanCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n * 100) / 100);
}

/** Renders the report as a readable table (layers with cost, then groups and boundaries). */
export function formatAnalysis(report: AnalysisReport): string {
  const header = ['layer', 'class', 'in', 'out', 'MACs', 'params', 'MACs %'];
  if (report.hardware) header.push(`latency ns (${report.hardware})`);
  const rows = report.layers.map((l) => {
    const row = [
      l.name,
      l.className,
      String(l.inChannels),
      String(l.outChannels),
      humanCount(l.macs),
      humanCount(l.params),
      report.total.macs > 0 ? `${((100 * l.macs) / report.total.macs).toFixed(1)}` : '0.0',
    ];
    if (report.hardware) row.push((l.latency ?? 0).toFixed(1));
    return row;
  });
  const totalRow = [
    'total',
    '',
    '',
    '',
    humanCount(report.total.macs),
    humanCount(report.total.params),
    '100.0',
  ];
  if (report.hardware) totalRow.push((report.total.latency ?? 0).toFixed(1));
  const all = [header, ...rows, totalRow];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const numeric = (i: number) => i >= 2;
  const line = (r: string[]) =>
    r.map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), line(totalRow)];
  out.push(
    '',
    `FLOPs ${humanCount(report.total.flops)} (= 2 × MACs), kernel weights ${humanCount(report.total.size)}`,
  );
  out.push('', 'channel groups (prunable together):');
  for (const g of report.groups) {
    const state = g.pinned
      ? `kept: model ${g.pinned}`
      : g.prunable
        ? `switch: ${g.sources.join(', ')}`
        : 'no switch (no BN γ)';
    out.push(`  #${g.id} ${g.channels} ch  [${state}]  ${g.layers.join(', ')}`);
  }
  if (report.boundaries.length > 0)
    out.push('', `kept whole (layer class not understood): ${report.boundaries.join(', ')}`);
  return out.join('\n');
}
