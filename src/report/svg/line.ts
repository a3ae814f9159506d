/** Line chart: one or more series of (x, y) points, optional horizontal reference lines, log or linear y. */
import { escapeHtml } from '../escape.js';
import { formatNumber } from '../format.js';
import {
  PALETTE,
  emptyNote,
  legend,
  px,
  svgDocument,
  xAxis,
  yAxis,
  type Frame,
  type LegendItem,
} from './chart.js';
import { linearScale, logScale } from './scale.js';

/** A named series of points; non-finite points are skipped (they break the line). */
export interface LineSeries {
  name: string;
  points: [number, number][];
  color?: string;
  dashed?: boolean;
}

/** What `lineChart` draws. */
export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Horizontal reference lines (e.g. the budget). */
  references?: { y: number; label: string }[];
  /** 'log' draws y on a log10 axis (non-positive values skipped); default linear. */
  yScale?: 'linear' | 'log';
  width?: number;
  height?: number;
  /** Include 0 in the y range (default false). */
  zero?: boolean;
  formatY?: (v: number) => string;
}

/** Renders a line chart as a standalone `<svg>` (each series is one `path.line`). */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 372;
  const height = spec.height ?? 260;
  const log = spec.yScale === 'log';
  const ok = ([x, y]: [number, number]) => Number.isFinite(x) && Number.isFinite(y) && (!log || y > 0);
  const series = spec.series.map((s, i) => ({
    ...s,
    color: s.color ?? PALETTE[i % PALETTE.length],
    points: s.points,
  }));
  const items: LegendItem[] = series.map((s) => ({
    name: s.name,
    color: s.color,
    kind: 'line',
    dashed: s.dashed,
  }));
  for (const r of spec.references ?? [])
    items.push({ name: r.label, color: '#666', kind: 'line', dashed: true });
  const key = legend(items, 60, 36, width - 76);
  const frame: Frame = {
    width,
    height: height + key.height,
    left: 60,
    top: 36 + key.height + 6,
    right: 16,
    bottom: 40,
  };
  const body: string[] = [key.svg];
  const xs = series.flatMap((s) => s.points.filter(ok).map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.filter(ok).map((p) => p[1]));
  if (xs.length === 0) {
    body.push(emptyNote(frame, 'no data'));
    return svgDocument(frame, 'line', spec.title, body.join(''));
  }
  const references = (spec.references ?? []).filter((r) => Number.isFinite(r.y) && (!log || r.y > 0));
  ys.push(...references.map((r) => r.y));
  const xScale = linearScale(xs, [frame.left, width - frame.right]);
  const yRange: [number, number] = [frame.height - frame.bottom, frame.top];
  const yScale = log ? logScale(ys, yRange) : linearScale(ys, yRange, { zero: spec.zero });
  body.push(
    yAxis(frame, yScale, spec.yLabel, spec.formatY ?? formatNumber),
    xAxis(frame, xScale, spec.xLabel),
  );
  for (const r of references) {
    const y = px(yScale.map(r.y));
    body.push(
      `<line class="reference" x1="${frame.left}" y1="${y}" x2="${px(width - frame.right)}" y2="${y}" stroke="#666" stroke-dasharray="4 3"><title>${escapeHtml(`${r.label}: ${formatNumber(r.y)}`)}</title></line>`,
    );
  }
  for (const s of series) {
    let d = '';
    let pen = 'M';
    for (const p of s.points) {
      if (!ok(p)) {
        pen = 'M';
        continue;
      }
      d += `${pen}${px(xScale.map(p[0]))} ${px(yScale.map(p[1]))}`;
      pen = 'L';
    }
    if (d === '') continue;
    body.push(
      `<path class="line" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${escapeHtml(s.name)}</title></path>`,
    );
  }
  return svgDocument(frame, 'line', spec.title, body.join(''));
}
