/**
 * Resolves a graph's channel flow into groups: runs each op's handler in topological order over a
 * union-find of channel elements, then clusters the resulting channel classes into groups of channels
 * that appear in the same layers.
 */
import type { ModelGraph } from '../graph/types.js';
import { boundaryHandler, channelHandler } from './handlers/index.js';
import type { ChannelContext, ChannelGroup, GroupAnalysis, PinReason, SourceSpec } from './types.js';
import { UnionFind } from './union-find.js';

const PIN_PRIORITY: Record<PinReason, number> = { input: 3, output: 2, boundary: 1 };

/** Computes the channel groups of a graph. */
export function analyzeGroups(graph: ModelGraph): GroupAnalysis {
  const uf = new UnionFind();
  const tensorIds = new Map<string, Int32Array>();
  const owned = new Map<string, Int32Array>();
  const pins: { ids: Int32Array; reason: PinReason }[] = [];
  const rawSources: SourceSpec[] = [];
  const boundaries: string[] = [];

  for (const op of graph.ops) {
    const layer = graph.layers.get(op.layer)!;
    let output: Int32Array | undefined;
    const ctx: ChannelContext = {
      op,
      layer,
      inputCount: op.inputs.length,
      input: (i) => tensorIds.get(op.inputs[i])!,
      fresh: (n) => uf.add(n),
      owned: (key, n) => {
        const k = `${layer.name}\u0000${key}`;
        let ids = owned.get(k);
        if (!ids || ids.length !== n) {
          ids = uf.add(n);
          owned.set(k, ids);
        }
        return ids;
      },
      tie: (a, b) => {
        if (a.length !== b.length)
          throw new Error(`layer "${layer.name}": cannot tie ${a.length} channels to ${b.length}`);
        for (let i = 0; i < a.length; i++) uf.union(a[i], b[i]);
      },
      setOutput: (ids) => {
        output = ids;
      },
      pin: (ids, reason) => pins.push({ ids, reason }),
      addSource: (s) => {
        if (!rawSources.some((r) => r.weight === s.weight)) rawSources.push({ ...s, layer: layer.name });
      },
      boundary: () => {
        if (!boundaries.includes(layer.name)) boundaries.push(layer.name);
      },
    };
    const grouped = op.className === 'Conv2D' && Number(op.config['groups'] ?? 1) > 1;
    const handler = grouped ? boundaryHandler : (channelHandler(op.className) ?? boundaryHandler);
    handler.propagate(ctx);
    const shape = op.outputShapes[0];
    const expected = shape[shape.length - 1];
    if (!output || output.length !== expected) {
      throw new Error(
        `layer "${layer.name}" (${op.className}): channel analysis gave ${output?.length ?? 0} channels, its shape has ${expected}`,
      );
    }
    tensorIds.set(op.outputs[0], output);
  }
  for (const t of graph.outputs) pins.push({ ids: tensorIds.get(t)!, reason: 'output' });

  // Number the classes in order of first appearance over the tensors.
  const classOfRoot = new Map<number, number>();
  const classOf = (element: number): number => {
    const root = uf.find(element);
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
    tensorClasses.set(t, Int32Array.from(tensorIds.get(t)!, classOf));
  }
  const sources = rawSources.map((s) => ({ ...s, ids: Int32Array.from(s.ids, classOf) }));
  const classCount = classOfRoot.size;
  const classPinned: (PinReason | undefined)[] = new Array(classCount).fill(undefined);
  for (const { ids, reason } of pins) {
    for (const e of ids) {
      const c = classOf(e);
      const prev = classPinned[c];
      if (!prev || PIN_PRIORITY[reason] > PIN_PRIORITY[prev]) classPinned[c] = reason;
    }
  }

  // Group classes by the set of layers whose outputs hold them.
  const layersOfClass: string[][] = Array.from({ length: classCount }, () => []);
  for (const op of graph.ops) {
    const classes = tensorClasses.get(op.outputs[0])!;
    for (const c of classes) {
      const list = layersOfClass[c];
      if (list[list.length - 1] !== op.layer && !list.includes(op.layer)) list.push(op.layer);
    }
  }
  const layerOrder = new Map([...graph.layers.keys()].map((n, i) => [n, i]));
  const groupByKey = new Map<string, ChannelGroup>();
  const classGroup = new Int32Array(classCount);
  const groups: ChannelGroup[] = [];
  for (let c = 0; c < classCount; c++) {
    const layers = layersOfClass[c].sort((a, b) => layerOrder.get(a)! - layerOrder.get(b)!);
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
  for (const s of sources) {
    const seen = new Set<number>();
    for (const c of s.ids) {
      const g = groups[classGroup[c]];
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      g.sources.push({ kind: s.kind, layer: s.layer, weight: s.weight });
    }
  }
  return { classCount, tensorClasses, classGroup, classPinned, groups, sources, boundaries };
}
