/** The run report: one self-contained HTML page (inline SVG and CSS) drawn from a run's files. */
export { renderReport } from './render.js';
export { readRun, writeReport, writeFileAtomic, type ReportOptions } from './write.js';
export { escapeHtml } from './escape.js';
export { formatNumber, formatPercent, formatChange } from './format.js';
export { lineChart, type LineChartSpec, type LineSeries } from './svg/line.js';
export { scatterChart, type ScatterChartSpec, type ScatterSeries, type ScatterPoint } from './svg/scatter.js';
export { groupedBarChart, type BarChartSpec, type BarSeries } from './svg/bars.js';
export type {
  Target,
  ModelFigures,
  Widths,
  Summary,
  HistoryStep,
  History,
  StructureFile,
  ParetoEntry,
  ParetoResults,
  Phase,
  ReportInput,
} from './types.js';
