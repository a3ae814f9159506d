/**
 * Resolves a graph's channel flow into groups: runs each op's channel rule (its registered class's
 * `channels`, a boundary for an unknown class) in topological order over a union-find of channel
 * elements, then clusters the resulting channel classes into groups of channels that appear in the same
 * layers. Linear in the number of channel entries (up to union-find's near-constant factor).
 */
import type { ModelGraph, OpNode } from '../graph/types.js';
import { layerClass } from '../layers/index.js';
import { keepWhole } from '../layers/channels.js';
import type { ChannelContext, ChannelGroup, GroupAnalysis, PinReason, SourceSpec } from './types.js';
import { UnionFind } from './union-find.js';

const PIN_PRIORITY: Record<PinReason, number> = { input: 3, output: 2, boundary: 1 };

/** What the op-by-op pass records: channel elements of each tensor, pins, sources and boundaries. */
interface Flow {
  uf: UnionFind;
  tensorIds: Map<string, Int32Array>;
  pins: { ids: Int32Array; reason: PinReason }[];
  sources: SourceSpec[];
  boundaries: string[];
}

/** Runs every op's channel rule over a union-find of channel elements. */
function traceChannels(graph: ModelGraph): Flow {
  const flow: Flow = { uf: new UnionFind(), tensorIds: new Map(), pins: [], sources: [], boundaries: [] };
  const owned = new Map<string, Int32Array>();
  const sourceWeights = new Set<string>();
  const boundarySet = new Set<string>();
  for (const op of graph.ops) {
    const layer = graph.layers.get(op.layer)!;
    let output: Int32Array | undefined;
    const ctx: ChannelContext = {
      op,
      layer,
      inputCount: op.inputs.length,
      input: (i) => flow.tensorIds.get(op.inputs[i])!,
      fresh: (n) => flow.uf.add(n),
      owned: (key, n) => {
        const k = `${layer.name}\u0000${key}`;
        let ids = owned.get(k);
        if (!ids || ids.length !== n) {
          ids = flow.uf.add(n);
          owned.set(k, ids);
        }
        return ids;
      },
      tie: (a, b) => {
        if (a.length !== b.length)
          throw new Error(`layer "${layer.name}": cannot tie ${a.length} channels to ${b.length}`);
        for (let i = 0; i < a.length; i++) flow.uf.union(a[i], b[i]);
      },
      setOutput: (ids) => {
        output = ids;
      },
      pin: (ids, reason) => flow.pins.push({ ids, reason }),
      addSource: (s) => {
        if (sourceWeights.has(s.weight)) return;
        sourceWeights.add(s.weight);
        flow.sources.push({ ...s, layer: layer.name });
      },
      boundary: () => {
        if (boundarySet.has(layer.name)) return;
        boundarySet.add(layer.name);
        flow.boundaries.push(layer.name);
      },
    };
    const cls = layerClass(op.className);
    if (cls) cls.channels(ctx);
    else keepWhole(ctx);
    checkOutput(op, output);
    flow.tensorIds.set(op.outputs[0], output!);
  }
  for (const t of graph.outputs) flow.pins.push({ ids: flow.tensorIds.get(t)!, reason: 'output' });
  return flow;
}

function checkOutput(op: OpNode, output: Int32Array | undefined): void {
  const shape = op.outputShapes[0];
  const expected = shape[shape.length - 1];
  if (!output || output.length !== expected) {
    throw new Error(
      `layer "${op.layer}" (${op.className}): channel analysis gave ${output?.length ?? 0} channels, its shape has ${expected}`,
    );
  }
}

/** Clusters channel classes into groups by the set of layers whose outputs hold them (and their pin). */
function clusterGroups(
  graph: ModelGraph,
  tensorClasses: Map<string, Int32Array>,
  classCount: number,
  classPinned: (PinReason | undefined)[],
): { groups: ChannelGroup[]; classGroup: Int32Array } {
  const layersOfClass: string[][] = Array.from({ length: classCount }, () => []);
  for (const op of graph.ops) {
    for (const c of tensorClasses.get(op.outputs[0])!) {
      const list = layersOfClass[c];
      if (list[list.length - 1] !== op.layer) list.push(op.layer);
    }
  }
  const layerOrder = new Map([...graph.layers.keys()].map((n, i) => [n, i]));
  const groupByKey = new Map<string, ChannelGroup>();
  const classGroup = new Int32Array(classCount);
  const groups: ChannelGroup[] = [];
  for (let c = 0; c < classCount; c++) {
    // a shared layer's applications may list it twice: keep its first place in model order
    const layers = [...new Set(layersOfClass[c])].sort((a, b) => layerOrder.get(a)! - layerOrder.get(b)!);
    const key = `${layers.join('\u0000')}\u0001${classPinned[c] ?? ''}`;
    let g = groupByKey.get(key);
    if (!g) {
      g = { id: groups.length, channels: 0, classes: [], layers, sources: [] };
      if (classPinned[c]) g.pinned = classPinned[c];
      groupByKey.set(key, g);
      groups.push(g);
    }
    g.channels++;
    g.classes.push(c);
    classGroup[c] = g.id;
  }
  return { groups, classGroup };
}

/** Computes the channel groups of a graph. */
export function analyzeGroups(graph: ModelGraph): GroupAnalysis {
  const flow = traceChannels(graph);

  // Number the classes in order of first appearance over the tensors.
  const classOfRoot = new Map<number, number>();
  const classOf = (element: number): number => {
    const root = flow.uf.find(element);
    let c = classOfRoot.get(root);
    if (c === undefined) {
      c = classOfRoot.size;
      classOfRoot.set(root, c);
    }
    return c;
  };
  const tensorClasses = new Map<string, Int32Array>();
  for (const op of graph.ops) {
    const t = op.outputs[0];
    tensorClasses.set(t, Int32Array.from(flow.tensorIds.get(t)!, classOf));
  }
  const sources = flow.sources.map((s) => ({ ...s, ids: Int32Array.from(s.ids, classOf) }));
  const classCount = classOfRoot.size;
  const classPinned: (PinReason | undefined)[] = new Array(classCount).fill(undefined);
  for (const { ids, reason } of flow.pins) {
    for (const e of ids) {
      const c = classOf(e);
      const prev = classPinned[c];
      if (!prev || PIN_PRIORITY[reason] > PIN_PRIORITY[prev]) classPinned[c] = reason;
    }
  }

  const { groups, classGroup } = clusterGroups(graph, tensorClasses, classCount, classPinned);
  for (const s of sources) {
    const seen = new Set<number>();
    for (const c of s.ids) {
      const g = groups[classGroup[c]];
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      g.sources.push({ kind: s.kind, layer: s.layer, weight: s.weight });
    }
  }
  return { classCount, tensorClasses, classGroup, classPinned, groups, sources, boundaries: flow.boundaries };
}
