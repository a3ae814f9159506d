/**
 * How `analyze`'s work (parse the model.json, channel groups, every cost) scales with the number of layers:
 * chains of 1×1 conv layers and residual nets (conv→BN→add blocks) of growing depth, timed in-process.
 * With `--compare DIR` the same models also run through another checkout's `src/` (e.g. the code before the
 * registry, whose grouping scanned a list per op), interleaved run by run, up to `--compare-max` layers.
 * Writes bench/results/grouping.json (median and spread of each, machine load).
 * Run: npx tsx bench/grouping.ts [--compare /path/to/other/checkout] [--compare-max 10000]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

type Analyze = (json: unknown) => void;

/** The analyze pipeline of a checkout's `src/`. */
async function pipeline(srcDir: string): Promise<Analyze> {
  const at = (p: string) => pathToFileURL(join(srcDir, p)).href;
  const { parseModelJson } = await import(at('graph/index.ts'));
  const { analyzeGroups } = await import(at('groups/index.ts'));
  const { analyzeGraph } = await import(at('analyze/index.ts'));
  return (json) => {
    const graph = parseModelJson(json);
    analyzeGraph(graph, { groups: analyzeGroups(graph) });
  };
}

function layer(name: string, className: string, config: object, inputs: string[]) {
  return {
    name,
    class_name: className,
    config: { name, ...config },
    inbound_nodes: inputs.length ? [inputs.map((i) => [i, 0, 0, {}])] : [],
  };
}

/** A functional model of about `n` layers: a chain of 1×1 convs, or residual blocks of 3 layers. */
function model(kind: 'chain' | 'residual', n: number): unknown {
  const conv = { filters: 8, kernel_size: [1, 1], use_bias: false };
  const layers = [layer('x', 'InputLayer', { batch_input_shape: [null, 4, 4, 8] }, [])];
  let prev = 'x';
  for (let i = 0; layers.length < n; i++) {
    if (kind === 'chain') {
      layers.push(layer(`c${i}`, 'Conv2D', conv, [prev]));
      prev = `c${i}`;
      continue;
    }
    layers.push(layer(`c${i}`, 'Conv2D', conv, [prev]));
    layers.push(layer(`bn${i}`, 'BatchNormalization', {}, [`c${i}`]));
    layers.push(layer(`add${i}`, 'Add', {}, [prev, `bn${i}`]));
    prev = `add${i}`;
  }
  return {
    modelTopology: {
      class_name: 'Model',
      config: { name: kind, layers, input_layers: [['x', 0, 0]], output_layers: [[prev, 0, 0]] },
    },
  };
}

function seconds(f: () => void): number {
  const t = performance.now();
  f();
  return (performance.now() - t) / 1000;
}

function summary(xs: number[]): { median: number; min: number; max: number; runs: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1], runs: s.length };
}

function revision(dir: string): string {
  return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const compareDir = args.includes('--compare') ? args[args.indexOf('--compare') + 1] : undefined;
  const compareMax = args.includes('--compare-max')
    ? Number(args[args.indexOf('--compare-max') + 1])
    : 10_000;
  const startLoad = loadavg();
  const ours = await pipeline(resolve(import.meta.dirname, '../src'));
  const other = compareDir ? await pipeline(resolve(compareDir, 'src')) : undefined;
  const sizes = [2_500, 5_000, 10_000, 20_000];
  const repeats = 3;
  const rows: unknown[] = [];
  for (const kind of ['chain', 'residual'] as const) {
    for (const n of sizes) {
      const json = model(kind, n);
      const times: number[] = [];
      const before: number[] = [];
      for (let r = 0; r < repeats; r++) {
        times.push(seconds(() => ours(json)));
        if (other && n <= compareMax) before.push(seconds(() => other(json)));
      }
      const row = {
        kind,
        layers: n,
        seconds: summary(times),
        ...(before.length
          ? { before: summary(before), ratio: summary(before).median / summary(times).median }
          : {}),
      };
      process.stderr.write(`${JSON.stringify(row)}\n`);
      rows.push(row);
    }
  }
  const out = {
    what: "analyze's parse + channel groups + costs, in-process, by number of layers",
    before: compareDir ? `commit ${revision(compareDir)} (src/ of another checkout)` : undefined,
    load: { start: startLoad, end: loadavg(), cores: 2 },
    rows,
  };
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(resolve(import.meta.dirname, 'results/grouping.json'), `${JSON.stringify(out, null, 2)}\n`);
}

await main();
