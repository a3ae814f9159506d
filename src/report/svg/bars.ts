/** Grouped bar chart: one group per category (e.g. layer), one bar per series (e.g. seed, shrunk, expanded). */
import { escapeHtml } from '../escape.js';
import { formatNumber } from '../format.js';
import {
  CHAR_WIDTH,
  PALETTE,
  emptyNote,
  legend,
  px,
  svgDocument,
  yAxis,
  type Frame,
  type LegendItem,
} from './chart.js';
import { linearScale } from './scale.js';

/** A named series with one value per category (undefined: no bar). */
export interface BarSeries {
  name: string;
  values: (number | undefined)[];
  color?: string;
}

/** What `groupedBarChart` draws. */
export interface BarChartSpec {
  title: string;
  yLabel: string;
  categories: string[];
  series: BarSeries[];
  /** Minimum width; the chart grows with the number of bars. */
  width?: number;
  height?: number;
}

/** Renders a grouped bar chart as a standalone `<svg>` (each bar is one `rect.bar`). */
export function groupedBarChart(spec: BarChartSpec): string {
  const series = spec.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length] }));
  const n = Math.max(1, series.length);
  const barWidth = n <= 3 ? 14 : n <= 6 ? 10 : 7;
  const groupWidth = n * barWidth + 14;
  const longest = Math.max(0, ...spec.categories.map((c) => c.length));
  const rotate = longest * CHAR_WIDTH > groupWidth - 4;
  const labelSpace = rotate ? Math.min(140, longest * CHAR_WIDTH * 0.72 + 12) : 22;
  const width = Math.max(spec.width ?? 560, 80 + spec.categories.length * groupWidth);
  const items: LegendItem[] = series.map((s) => ({ name: s.name, color: s.color, kind: 'box' }));
  const key = legend(items, 60, 36, width - 76);
  const height = (spec.height ?? 280) + key.height + labelSpace;
  const frame: Frame = {
    width,
    height,
    left: 60,
    top: 36 + key.height + 6,
    right: 16,
    bottom: labelSpace + 8,
  };
  const body: string[] = [key.svg];
  const values = series.flatMap((s) =>
    s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)),
  );
  if (spec.categories.length === 0 || values.length === 0) {
    body.push(emptyNote(frame, 'no width data'));
    return svgDocument(frame, 'bars', spec.title, body.join(''));
  }
  const y0 = height - frame.bottom;
  const yScale = linearScale(values, [y0, frame.top], { zero: true });
  body.push(yAxis(frame, yScale, spec.yLabel));
  const plotWidth = width - frame.left - frame.right;
  const slot = plotWidth / spec.categories.length;
  spec.categories.forEach((category, c) => {
    const start = frame.left + c * slot + (slot - n * barWidth) / 2;
    series.forEach((s, i) => {
      const v = s.values[c];
      if (v === undefined || !Number.isFinite(v)) return;
      const top = yScale.map(Math.max(0, v));
      const x = start + i * barWidth;
      body.push(
        `<rect class="bar" x="${px(x)}" y="${px(top)}" width="${barWidth - 1}" height="${px(Math.max(0, y0 - top))}" fill="${s.color}"><title>${escapeHtml(`${category} · ${s.name}: ${formatNumber(v)}`)}</title></rect>`,
      );
    });
    const cx = frame.left + (c + 0.5) * slot;
    body.push(
      rotate
        ? `<text class="category" transform="translate(${px(cx)} ${y0 + 12}) rotate(-40)" text-anchor="end">${escapeHtml(category)}</text>`
        : `<text class="category" x="${px(cx)}" y="${y0 + 16}" text-anchor="middle">${escapeHtml(category)}</text>`,
    );
  });
  body.push(`<line class="axis" x1="${frame.left}" y1="${y0}" x2="${px(width - frame.right)}" y2="${y0}"/>`);
  return svgDocument(frame, 'bars', spec.title, body.join(''));
}
