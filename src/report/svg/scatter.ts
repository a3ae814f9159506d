/** Scatter chart: labelled points per series, optional error bars, optional connecting line, reference lines. */
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
import { linearScale } from './scale.js';

/** A point; `yErr` draws a vertical error bar of ± yErr; `label` is written beside the point. */
export interface ScatterPoint {
  x: number;
  y: number;
  yErr?: number;
  label?: string;
}

/** A named series of points; `connect` joins them in order with a line. */
export interface ScatterSeries {
  name: string;
  points: ScatterPoint[];
  color?: string;
  connect?: boolean;
}

/** What `scatterChart` draws. */
export interface ScatterChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ScatterSeries[];
  /** Vertical reference lines (e.g. the budget). */
  references?: { x: number; label: string }[];
  width?: number;
  height?: number;
  formatX?: (v: number) => string;
  formatY?: (v: number) => string;
}

/** Renders a scatter chart as a standalone `<svg>` (each drawn point is one `circle.point`). */
export function scatterChart(spec: ScatterChartSpec): string {
  const width = spec.width ?? 520;
  const height = spec.height ?? 320;
  const ok = (p: ScatterPoint) => Number.isFinite(p.x) && Number.isFinite(p.y);
  const series = spec.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length] }));
  const items: LegendItem[] = series.map((s) => ({ name: s.name, color: s.color, kind: 'dot' }));
  const references = (spec.references ?? []).filter((r) => Number.isFinite(r.x));
  for (const r of references) items.push({ name: r.label, color: '#666', kind: 'line', dashed: true });
  const key = legend(items, 64, 36, width - 80);
  const frame: Frame = {
    width,
    height: height + key.height,
    left: 64,
    top: 36 + key.height + 6,
    right: 24,
    bottom: 40,
  };
  const body: string[] = [key.svg];
  const points = series.flatMap((s) => s.points.filter(ok));
  if (points.length === 0) {
    body.push(emptyNote(frame, 'no data'));
    return svgDocument(frame, 'scatter', spec.title, body.join(''));
  }
  const xs = [...points.map((p) => p.x), ...references.map((r) => r.x)];
  const ys = points.flatMap((p) => (p.yErr ? [p.y - p.yErr, p.y + p.yErr] : [p.y]));
  // Pad the x range so points at the extremes are not drawn on the axes.
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const pad = (xMax - xMin || Math.abs(xMax) || 1) * 0.06;
  const xScale = linearScale([xMin - pad, xMax + pad], [frame.left, width - frame.right]);
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const yPad = (yMax - yMin || Math.abs(yMax) || 1) * 0.04;
  const yScale = linearScale([yMin - yPad, yMax + yPad], [frame.height - frame.bottom, frame.top]);
  const formatX = spec.formatX ?? formatNumber;
  const formatY = spec.formatY ?? formatNumber;
  body.push(yAxis(frame, yScale, spec.yLabel, formatY), xAxis(frame, xScale, spec.xLabel, formatX));
  for (const r of references) {
    const x = px(xScale.map(r.x));
    body.push(
      `<line class="reference" x1="${x}" y1="${frame.top}" x2="${x}" y2="${px(frame.height - frame.bottom)}" stroke="#666" stroke-dasharray="4 3"><title>${escapeHtml(`${r.label}: ${formatX(r.x)}`)}</title></line>`,
    );
  }
  for (const s of series) {
    const drawn = s.points.filter(ok);
    if (s.connect && drawn.length > 1) {
      const d = drawn.map((p, i) => `${i ? 'L' : 'M'}${px(xScale.map(p.x))} ${px(yScale.map(p.y))}`).join('');
      body.push(
        `<path class="connector" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.2" opacity="0.6"/>`,
      );
    }
    for (const p of drawn) {
      const x = xScale.map(p.x);
      const y = yScale.map(p.y);
      if (p.yErr && Number.isFinite(p.yErr)) {
        const y0 = px(yScale.map(p.y - p.yErr));
        const y1 = px(yScale.map(p.y + p.yErr));
        body.push(
          `<path class="error-bar" d="M${px(x)} ${y0}V${y1}M${px(x - 4)} ${y0}H${px(x + 4)}M${px(x - 4)} ${y1}H${px(x + 4)}" stroke="${s.color}" stroke-width="1.2" fill="none"/>`,
        );
      }
      const tip = `${s.name}${p.label ? ` · ${p.label}` : ''}: ${formatX(p.x)}, ${formatY(p.y)}${p.yErr ? ` ± ${formatY(p.yErr)}` : ''}`;
      body.push(
        `<circle class="point" cx="${px(x)}" cy="${px(y)}" r="5" fill="${s.color}" stroke="#fff" stroke-width="1"><title>${escapeHtml(tip)}</title></circle>`,
      );
      if (p.label) {
        body.push(
          `<text class="point-label" x="${px(x + 8)}" y="${px(y - 7)}">${escapeHtml(p.label)}</text>`,
        );
      }
    }
  }
  return svgDocument(frame, 'scatter', spec.title, body.join(''));
}
