/**
 * `analyze`: a model's cost layer by layer and its channel groups, as the JSON object of DESIGN.md
 * (`total`, `layers`, `groups`, `boundaries`) and as a readable table. With a hardware, every layer's
 * latency (ns in JSON, µs in the table); with a measurement, the model's measured end-to-end latency
 * beside the sum of the per-layer model.
 */
import { hardware as lookupHardware, layerCosts, type Hardware, type LayerCost } from '../cost/index.js';
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
  /** Where the hardware's figures come from (roofline table, or the measured profile's machine and date). */
  hardwareSource?: string;
  /** The model's measured end-to-end latency at batch 1 (ns), from {@link withMeasurement}. */
  measured?: EndToEndLatency;
}

/** A measured end-to-end latency (ns): median of `runs` calls with quartiles, minimum and maximum. */
export interface EndToEndLatency {
  hardware: string;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  runs: number;
}

/** Analyses a graph: per-layer costs at full width and the channel groups. */
export function analyzeGraph(
  graph: ModelGraph,
  options: { hardware?: string | Hardware; groups?: GroupAnalysis } = {},
): AnalysisReport {
  const groups = options.groups ?? analyzeGroups(graph);
  const hw = typeof options.hardware === 'string' ? lookupHardware(options.hardware) : options.hardware;
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
    report.hardwareSource = hw.source;
    report.total.latency = rows.reduce((s, r) => s + (r.latency ?? 0), 0);
  }
  return report;
}

/** The report with the model's measured end-to-end latency added. */
export function withMeasurement(report: AnalysisReport, measured: EndToEndLatency): AnalysisReport {
  return { ...report, measured };
}

/** A duration given in ns, printed in µs with 3 significant figures or more. */
export function formatMicros(ns: number): string {
  const us = ns / 1000;
  const abs = Math.abs(us);
  return us.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
}

/** A duration given in ns, with a unit that suits it (µs or ms). */
export function formatDuration(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${formatMicros(ns)} µs`;
}

/** The footer lines on latency: where the figures come from, and the measurement against the model. */
function latencyLines(report: AnalysisReport): string[] {
  const out: string[] = [];
  if (report.hardwareSource) out.push(`latency on ${report.hardware}: ${report.hardwareSource}`);
  const m = report.measured;
  if (m) {
    const sum = report.total.latency ?? 0;
    const off = ((sum / m.median - 1) * 100).toFixed(1);
    out.push(
      `measured end to end on ${m.hardware} (batch 1): median ${formatDuration(m.median)} (quartiles ${formatDuration(m.p25)}–${formatDuration(m.p75)}, min ${formatDuration(m.min)}, ${m.runs} runs); the per-layer model sums to ${formatDuration(sum)} (${Number(off) >= 0 ? '+' : ''}${off}% of the median)`,
    );
  }
  return out;
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
  if (report.hardware) header.push(`latency µs (${report.hardware})`);
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
    if (report.hardware) row.push(formatMicros(l.latency ?? 0));
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
  if (report.hardware) totalRow.push(formatMicros(report.total.latency ?? 0));
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
  out.push(...latencyLines(report));
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
