/** Turns a normalised topology into the typed op graph, inferring every shape from the topology. */
import { canonicalClass, layerSpec } from './layer-specs.js';
import type { InboundRef, ManifestWeight, Topology } from './topology.js';
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

function inputLayerShape(name: string, config: Record<string, unknown>, fill?: number[]): Shape {
  const raw = (config['batch_input_shape'] ?? config['batch_shape'] ?? config['batchInputShape']) as unknown;
  let dims: (number | null)[];
  if (Array.isArray(raw)) dims = raw.slice(1).map((d) => (d === null ? null : Number(d)));
  else if (Array.isArray(config['input_shape']))
    dims = (config['input_shape'] as unknown[]).map((d) => (d === null ? null : Number(d)));
  else throw new Error(`input "${name}" has no batch_input_shape`);
  if (fill) {
    if (fill.length !== dims.length) {
      throw new Error(
        `input "${name}" has rank ${dims.length + 1} (${dims.length} dims after the batch); --input-shape gave ${fill.length}`,
      );
    }
    dims = dims.map((d, i) => d ?? fill[i]);
  }
  if (dims.some((d) => d === null || !Number.isFinite(d) || d <= 0)) {
    throw new Error(
      `input "${name}" has unknown size [${dims.map((d) => d ?? '?').join(', ')}]; pass --input-shape H,W,C`,
    );
  }
  return dims as number[];
}

/** Builds the op graph of a topology: ops in topological order, shapes, weights and parameter counts. */
export function buildGraph(topology: Topology, options: BuildOptions = {}): ModelGraph {
  const byName = new Map(topology.layers.map((l) => [l.name, l]));
  if (byName.size !== topology.layers.length) {
    const seen = new Set<string>();
    const dup = topology.layers.find((l) => (seen.has(l.name) ? true : (seen.add(l.name), false)));
    throw new Error(`two layers are named "${dup?.name}"`);
  }
  const refTensor = (ref: InboundRef, where: string): string => {
    const target = byName.get(ref.layer);
    if (!target)
      throw new Error(`${where} takes its input from "${ref.layer}", which is not a layer of the model`);
    const nodes = target.className === 'InputLayer' ? 1 : target.inboundNodes.length;
    if (ref.nodeIndex >= nodes)
      throw new Error(`${where} uses application ${ref.nodeIndex} of "${ref.layer}", which has ${nodes}`);
    return `${opId(ref.layer, ref.nodeIndex)}:${ref.tensorIndex}`;
  };

  // Collect the ops (applications) and order them topologically, keeping file order among ready ops.
  interface PendingOp {
    id: string;
    layer: string;
    inputs: string[];
  }
  const pending: PendingOp[] = [];
  for (const layer of topology.layers) {
    if (layer.className === 'InputLayer') {
      pending.push({ id: layer.name, layer: layer.name, inputs: [] });
      continue;
    }
    layer.inboundNodes.forEach((node, k) => {
      const where = `layer "${layer.name}"`;
      pending.push({
        id: opId(layer.name, k),
        layer: layer.name,
        inputs: node.map((r) => refTensor(r, where)),
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
      throw new Error(
        `the layers ${next
          .slice(0, 3)
          .map((p) => `"${p.layer}"`)
          .join(', ')} form a cycle or use missing inputs`,
      );
    }
    remaining = next;
  }

  const manifestByName = new Map((options.manifest ?? []).map((w) => [w.name, w]));
  const layers = new Map<string, LayerInfo>();
  const ops: OpNode[] = [];
  const opsById = new Map<string, OpNode>();
  const tensors = new Map<string, TensorInfo>();
  const consumers = new Map<string, string[]>();
  const inputIds = new Set(topology.inputs.map((r) => opId(r.layer, r.nodeIndex)));

  for (const p of ordered) {
    const tl = byName.get(p.layer)!;
    const className = canonicalClass(tl.className);
    const where = `layer "${tl.name}" (${tl.className})`;
    const inputShapes = p.inputs.map((t) => {
      const info = tensors.get(t);
      if (!info)
        throw new Error(
          `${where} uses output ${t.slice(t.lastIndexOf(':') + 1)} of "${t.slice(0, t.lastIndexOf(':'))}", which has no such output`,
        );
      return info.shape;
    });
    let outputShape: Shape;
    let weights: WeightSpec[] = [];
    try {
      if (className === 'InputLayer') {
        outputShape = inputLayerShape(
          tl.name,
          tl.config,
          inputIds.has(p.id) ? options.inputShape : undefined,
        );
      } else {
        const spec = layerSpec(className);
        if (spec) {
          outputShape = spec.outputShape(inputShapes, tl.config);
          if (!layers.has(tl.name)) {
            weights = spec
              .weights(inputShapes, tl.config)
              .map((w) => ({ name: `${tl.name}/${w.shortName}`, ...w }));
          }
        } else {
          outputShape = [...inputShapes[0]]; // unknown class: assumed shape-preserving, kept whole as a boundary
          weights = [...manifestByName.values()]
            .filter((w) => w.name.startsWith(`${tl.name}/`))
            .map((w) => ({
              name: w.name,
              shortName: w.name.slice(tl.name.length + 1),
              shape: w.shape,
              trainable: true,
            }));
        }
      }
      if (outputShape.some((d) => !Number.isInteger(d) || d <= 0)) {
        throw new Error(`gives the impossible output shape ${describeShape(outputShape)}`);
      }
      for (const w of weights) {
        const m = manifestByName.get(w.name);
        if (m && (m.shape.length !== w.shape.length || m.shape.some((d, i) => d !== w.shape[i]))) {
          throw new Error(
            `has weight "${w.name}" of shape ${describeShape(m.shape)} in the file, but its input ${describeShape(inputShapes[0] ?? [])} and config need ${describeShape(w.shape)}`,
          );
        }
      }
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(msg.startsWith('input "') ? msg : `${where}: ${msg}`);
    }
    let info = layers.get(tl.name);
    if (!info) {
      info = {
        name: tl.name,
        className,
        config: tl.config,
        weights,
        params: weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0),
        ops: [],
      };
      layers.set(tl.name, info);
    }
    info.ops.push(p.id);
    const out = `${p.id}:0`;
    const op: OpNode = {
      id: p.id,
      layer: tl.name,
      className,
      config: tl.config,
      inputs: p.inputs,
      outputs: [out],
      inputShapes,
      outputShapes: [outputShape],
    };
    ops.push(op);
    opsById.set(op.id, op);
    tensors.set(out, { id: out, op: op.id, index: 0, shape: outputShape });
    for (const t of p.inputs) {
      const list = consumers.get(t) ?? [];
      list.push(op.id);
      consumers.set(t, list);
    }
  }
  const outputs = topology.outputs.map((r) => refTensor(r, 'the model output'));
  for (const t of outputs)
    if (!tensors.has(t)) throw new Error(`the model output "${t}" is not produced by any layer`);
  return {
    name: topology.name,
    layers,
    ops,
    opsById,
    tensors,
    inputs: topology.inputs.map((r) => refTensor(r, 'the model input')),
    outputs,
    consumers,
  };
}
