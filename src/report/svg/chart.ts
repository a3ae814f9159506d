/** The parts every chart shares: the frame (size and margins), axes with ticks and labels, the legend. */
import { escapeHtml } from '../escape.js';
import { formatNumber } from '../format.js';
import type { Scale } from './scale.js';

/** Colour-blind-safe palette (Okabe & Ito), in series order. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#000000',
  '#999999',
];

/** Average glyph width of the 11px sans-serif chart font, used to lay text out without a browser. */
export const CHAR_WIDTH = 6.2;

/** The chart's outer size and its plot area. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A legend entry. */
export interface LegendItem {
  name: string;
  color: string;
  kind: 'line' | 'box' | 'dot';
  dashed?: boolean;
}

/** Rounds to 0.1 px to keep the markup short. */
export const px = (v: number): string => String(Math.round(v * 10) / 10);

/** The legend laid out in rows from (x, y) within `width`; returns its markup and height. */
export function legend(
  items: LegendItem[],
  x: number,
  y: number,
  width: number,
): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  const parts: string[] = [];
  let cx = x;
  let cy = y;
  for (const item of items) {
    const w = 22 + item.name.length * CHAR_WIDTH + 14;
    if (cx + w > x + width && cx > x) {
      cx = x;
      cy += 16;
    }
    const swatch =
      item.kind === 'line'
        ? `<line x1="${px(cx)}" y1="${px(cy)}" x2="${px(cx + 16)}" y2="${px(cy)}" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/>`
        : item.kind === 'box'
          ? `<rect x="${px(cx + 2)}" y="${px(cy - 5)}" width="12" height="10" fill="${item.color}"/>`
          : `<circle cx="${px(cx + 8)}" cy="${px(cy)}" r="4" fill="${item.color}"/>`;
    parts.push(
      `<g class="legend-item">${swatch}<text x="${px(cx + 22)}" y="${px(cy + 4)}">${escapeHtml(item.name)}</text></g>`,
    );
    cx += w;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: cy - y + 16 };
}

/** The y axis (ticks, grid lines, label) of a frame. */
export function yAxis(frame: Frame, scale: Scale, label: string, format = formatNumber): string {
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  const parts = scale.ticks.map((t) => {
    const y = px(scale.map(t));
    return (
      `<line class="grid" x1="${x0}" y1="${y}" x2="${px(x1)}" y2="${y}"/>` +
      `<text x="${x0 - 6}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(format(t))}</text>`
    );
  });
  const mid = (frame.top + frame.height - frame.bottom) / 2;
  parts.push(
    `<line class="axis" x1="${x0}" y1="${frame.top}" x2="${x0}" y2="${px(frame.height - frame.bottom)}"/>`,
    `<text class="axis-label" transform="translate(14 ${px(mid)}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text>`,
  );
  return `<g class="y-axis">${parts.join('')}</g>`;
}

/** The x axis (ticks, label) of a frame with a numeric scale. */
export function xAxis(frame: Frame, scale: Scale, label: string, format = formatNumber): string {
  const y0 = frame.height - frame.bottom;
  const parts = scale.ticks.map((t) => {
    const x = px(scale.map(t));
    return (
      `<line class="tick" x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 5}"/>` +
      `<text x="${x}" y="${y0 + 17}" text-anchor="middle">${escapeHtml(format(t))}</text>`
    );
  });
  parts.push(
    `<line class="axis" x1="${frame.left}" y1="${y0}" x2="${px(frame.width - frame.right)}" y2="${y0}"/>`,
    `<text class="axis-label" x="${px((frame.left + frame.width - frame.right) / 2)}" y="${px(frame.height - 6)}" text-anchor="middle">${escapeHtml(label)}</text>`,
  );
  return `<g class="x-axis">${parts.join('')}</g>`;
}

/** Wraps chart markup in a sized `<svg>` with a title, tagged `data-chart` for tests and styling. */
export function svgDocument(frame: Frame, kind: string, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeHtml(kind)}" ` +
    `width="${px(frame.width)}" height="${px(frame.height)}" viewBox="0 0 ${px(frame.width)} ${px(frame.height)}" ` +
    `role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>` +
    `<text class="chart-title" x="${frame.left}" y="18">${escapeHtml(title)}</text>${body}</svg>`
  );
}

/** A message drawn in place of a chart's plot when there is nothing to draw. */
export function emptyNote(frame: Frame, text: string): string {
  return `<text class="empty" x="${px(frame.width / 2)}" y="${px(frame.height / 2)}" text-anchor="middle">${escapeHtml(text)}</text>`;
}
