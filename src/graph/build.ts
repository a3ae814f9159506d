/**
 * Turns a normalised topology into the typed op graph: orders the applications topologically, then
 * reads each layer's config once through its registered class (see `src/layers`) and infers every shape
 * and weight from the topology alone, checking sizes before anything is allocated.
 */
import { canonicalClass, layerClass } from '../layers/index.js';
import { inputShape } from '../layers/input-layer.js';
import type { KerasClassName, LayerClass } from '../layers/index.js';
import { checkActivation, checkWeight } from './bounds.js';
import type { InboundRef, ManifestWeight, Topology, TopologyLayer } from './topology.js';
import type { LayerInfo, ModelGraph, OpNode, Shape, TensorInfo, WeightSpec } from './types.js';

/** Options for building a graph. */
export interface BuildOptions {
  /** Fills unknown input sizes: `[H, W, C]` (e.g. from `--input-shape`). */
  inputShape?: number[];
  /** Weights manifest of the file, used to check shapes and to find the weights of unknown layers. */
  manifest?: ManifestWeight[];
}

/** Op id of application `k` of a layer: the layer name for the first, `${layer}@${k}` after. */
export function opId(layer: string, nodeIndex: number): string {
  return nodeIndex === 0 ? layer : `${layer}@${nodeIndex}`;
}

function describeShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** One application of a layer, before shapes are known. */
interface PendingOp {
  id: string;
  layer: string;
  inputs: string[];
}

function checkUniqueNames(topology: Topology): Map<string, TopologyLayer> {
  const byName = new Map(topology.layers.map((l) => [l.name, l]));
  if (byName.size !== topology.layers.length) {
    const seen = new Set<string>();
    const dup = topology.layers.find((l) => (seen.has(l.name) ? true : (seen.add(l.name), false)));
    throw new Error(`two layers are named "${dup?.name}"`);
  }
  return byName;
}

/** The tensor id an inbound reference names, checked against the layers it points to. */
function tensorOf(byName: Map<string, TopologyLayer>, ref: InboundRef, where: string): string {
  const target = byName.get(ref.layer);
  if (!target)
    throw new Error(`${where} takes its input from "${ref.layer}", which is not a layer of the model`);
  const nodes = target.className === 'InputLayer' ? 1 : target.inboundNodes.length;
  if (ref.nodeIndex >= nodes)
    throw new Error(`${where} uses application ${ref.nodeIndex} of "${ref.layer}", which has ${nodes}`);
  return `${opId(ref.layer, ref.nodeIndex)}:${ref.tensorIndex}`;
}

/** The applications of every layer, in topological order (file order among ready ops). */
function orderOps(topology: Topology, byName: Map<string, TopologyLayer>): PendingOp[] {
  const pending: PendingOp[] = [];
  for (const layer of topology.layers) {
    if (layer.className === 'InputLayer') {
      pending.push({ id: layer.name, layer: layer.name, inputs: [] });
      continue;
    }
    const where = `layer "${layer.name}"`;
    layer.inboundNodes.forEach((node, k) => {
      pending.push({
        id: opId(layer.name, k),
        layer: layer.name,
        inputs: node.map((r) => tensorOf(byName, r, where)),
      });
    });
  }
  const produced = new Set<string>();
  const ordered: PendingOp[] = [];
  let remaining = pending;
  while (remaining.length > 0) {
    const next: PendingOp[] = [];
    for (const p of remaining) {
      if (p.inputs.every((t) => produced.has(t.slice(0, t.lastIndexOf(':'))))) {
        ordered.push(p);
        produced.add(p.id);
      } else next.push(p);
    }
    if (next.length === remaining.length) {
      const names = next.slice(0, 3).map((p) => `"${p.layer}"`);
      throw new Error(`the layers ${names.join(', ')} form a cycle or use missing inputs`);
    }
    remaining = next;
  }
  return ordered;
}

/** Weights of a layer the registry does not know: the manifest's entries under its name. */
function manifestWeightsOf(manifest: Map<string, ManifestWeight>, layer: string): WeightSpec[] {
  return [...manifest.values()]
    .filter((w) => w.name.startsWith(`${layer}/`))
    .map((w) => ({
      name: w.name,
      shortName: w.name.slice(layer.length + 1),
      shape: w.shape,
      trainable: true,
    }));
}

/** Output shape and (first application only) weights of one op, checked against bounds and the manifest. */
function inferOp(
  cls: LayerClass | undefined,
  tl: TopologyLayer,
  args: unknown,
  inputShapes: Shape[],
  firstApplication: boolean,
  manifest: Map<string, ManifestWeight>,
  fill: number[] | undefined,
): { outputShape: Shape; weights: WeightSpec[] } {
  let outputShape: Shape;
  let weights: WeightSpec[] = [];
  if (tl.className === 'InputLayer') {
    outputShape = inputShape(tl.name, args as Parameters<typeof inputShape>[1], fill);
  } else if (cls) {
    outputShape = cls.outputShape(inputShapes, args);
    if (firstApplication)
      weights = cls.weights(inputShapes, args).map((w) => ({ name: `${tl.name}/${w.shortName}`, ...w }));
  } else {
    outputShape = [...inputShapes[0]]; // unknown class: assumed shape-preserving, kept whole as a boundary
    weights = manifestWeightsOf(manifest, tl.name);
  }
  if (outputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new Error(`gives the impossible output shape ${describeShape(outputShape)}`);
  }
  checkActivation(outputShape);
  for (const w of weights) {
    checkWeight(w.shortName, w.shape);
    const m = manifest.get(w.name);
    if (m && (m.shape.length !== w.shape.length || m.shape.some((d, i) => d !== w.shape[i]))) {
      throw new Error(
        `has weight "${w.name}" of shape ${describeShape(m.shape)} in the file, but its input ${describeShape(inputShapes[0] ?? [])} and config need ${describeShape(w.shape)}`,
      );
    }
  }
  return { outputShape, weights };
}

/** An empty graph to fill, op by op. */
function emptyGraph(topology: Topology): ModelGraph {
  return {
    name: topology.name,
    layers: new Map(),
    ops: [],
    opsById: new Map(),
    tensors: new Map(),
    inputs: [],
    outputs: [],
    consumers: new Map(),
  };
}

/** Adds one op (and its layer, on its first application) to the graph. */
function addOp(
  graph: ModelGraph,
  p: PendingOp,
  layer: Omit<LayerInfo, 'ops'>,
  outputShape: Shape,
  inputShapes: Shape[],
): void {
  let info = graph.layers.get(p.layer);
  if (!info) {
    info = { ...layer, ops: [] };
    graph.layers.set(p.layer, info);
  }
  info.ops.push(p.id);
  const out = `${p.id}:0`;
  const op: OpNode = {
    id: p.id,
    layer: p.layer,
    className: info.className,
    config: info.config,
    args: info.args,
    inputs: p.inputs,
    outputs: [out],
    inputShapes,
    outputShapes: [outputShape],
  };
  graph.ops.push(op);
  graph.opsById.set(op.id, op);
  const tensor: TensorInfo = { id: out, op: op.id, index: 0, shape: outputShape };
  graph.tensors.set(out, tensor);
  for (const t of p.inputs) {
    const list = graph.consumers.get(t);
    if (list) list.push(op.id);
    else graph.consumers.set(t, [op.id]);
  }
}

/** Builds the op graph of a topology: ops in topological order, shapes, weights and parameter counts. */
export function buildGraph(topology: Topology, options: BuildOptions = {}): ModelGraph {
  const byName = checkUniqueNames(topology);
  const ordered = orderOps(topology, byName);
  const manifest = new Map((options.manifest ?? []).map((w) => [w.name, w]));
  const inputIds = new Set(topology.inputs.map((r) => opId(r.layer, r.nodeIndex)));
  const graph = emptyGraph(topology);
  for (const p of ordered) {
    const tl = byName.get(p.layer)!;
    const className = canonicalClass(tl.className);
    const cls = layerClass(className);
    const refusal = cls?.refusal?.(tl.name, tl.className);
    if (refusal) throw new Error(refusal);
    const where = `layer "${tl.name}" (${tl.className})`;
    const inputShapes = p.inputs.map((t) => {
      const info = graph.tensors.get(t);
      if (!info)
        throw new Error(
          `${where} uses output ${t.slice(t.lastIndexOf(':') + 1)} of "${t.slice(0, t.lastIndexOf(':'))}", which has no such output`,
        );
      return info.shape;
    });
    const known = graph.layers.get(tl.name);
    let inferred: { outputShape: Shape; weights: WeightSpec[] };
    let args: unknown;
    try {
      args = known ? known.args : cls?.parse(tl.config, className as KerasClassName);
      const fill = inputIds.has(p.id) ? options.inputShape : undefined;
      inferred = inferOp(cls, tl, args, inputShapes, !known, manifest, fill);
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(msg.startsWith('input "') ? msg : `${where}: ${msg}`);
    }
    const params = inferred.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
    addOp(
      graph,
      p,
      { name: tl.name, className, config: tl.config, args, weights: inferred.weights, params },
      inferred.outputShape,
      inputShapes,
    );
  }
  graph.inputs = topology.inputs.map((r) => tensorOf(byName, r, 'the model input'));
  graph.outputs = topology.outputs.map((r) => tensorOf(byName, r, 'the model output'));
  for (const t of graph.outputs)
    if (!graph.tensors.has(t)) throw new Error(`the model output "${t}" is not produced by any layer`);
  return graph;
}
