import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/index.js';
import { writeFabricatedRun } from './run-folder.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', '.output');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(
    `Skipping the report browser test: ${CHROMIUM} is missing (apt-get update && apt-get install -y chromium).`,
  );
}

interface ChartInfo {
  kind: string;
  title: string;
  width: number;
  height: number;
  drawn: number;
  bars: number;
  points: number;
  lines: number;
  emptyMarks: number;
}

describe.skipIf(!haveChromium)('the report in headless Chromium', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'morphnet-browser-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('draws every chart with a visible size and marks, offline, and saves a screenshot', async () => {
    const run = join(root, 'run');
    await writeFabricatedRun(run);
    const file = await writeReport(run);
    const context = await chromium.launchPersistentContext(join(root, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const info: ChartInfo[] = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const visible = (selector: string) =>
            Array.from(svg.querySelectorAll(selector)).filter((e) => {
              const b = (e as SVGGraphicsElement).getBBox();
              return b.width > 0 || b.height > 0;
            }).length;
          return {
            kind: svg.getAttribute('data-chart') ?? '',
            title: svg.querySelector('title')?.textContent ?? '',
            width: box.width,
            height: box.height,
            drawn: svg.querySelectorAll('path, rect, circle, line').length,
            bars: visible('rect.bar'),
            points: visible('circle.point'),
            lines: visible('path.line'),
            emptyMarks: svg.querySelectorAll('.empty').length,
          };
        }),
      );
      expect(info.length).toBe(14);
      for (const chart of info) {
        expect(chart.width, chart.title).toBeGreaterThan(100);
        expect(chart.height, chart.title).toBeGreaterThan(100);
        expect(chart.drawn, chart.title).toBeGreaterThan(0);
        expect(chart.emptyMarks, chart.title).toBe(0);
      }
      expect(info.find((c) => c.kind === 'bars')?.bars).toBe(17);
      expect(info.filter((c) => c.kind === 'scatter').map((c) => c.points)).toEqual([6, 6, 6]);
      expect(info.filter((c) => c.kind === 'line').every((c) => c.lines >= 1)).toBe(true);
      // The escaped layer name reads as written.
      expect(await page.textContent('svg[data-chart="bars"]')).toContain('block<b>&');
      expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
      expect(errors).toEqual([]);
      await mkdir(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'report.png'), fullPage: true });
      expect(existsSync(join(OUTPUT, 'report.png'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});
