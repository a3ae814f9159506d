/**
 * Rebuilding a model at new channel widths: the width plan (new width of each channel group, and where
 * each old channel lands), the resized topology (`filters` / `units` / Reshape targets), the new model
 * from it (`tf.models.modelFromJSON`, fresh initialisers), and the maps from each old tensor's channel
 * entries to the new model's (used to copy weights slice by slice).
 *
 * Old and new models have the same layer names and topology, so their channel groups correspond one to
 * one (same layers, same pin). Within a group, the new model's k-th class (in order of first
 * appearance) takes the old group's class of slot k; an old tensor entry of class c, r-th occurrence of c
 * in that tensor (Flatten and depthwise multipliers repeat classes), maps to the r-th entry of c's new
 * class in the new tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeGroups } from '../groups/index.js';
import type { ChannelGroup, GroupAnalysis } from '../groups/types.js';
import type { GraphOptions } from '../graph/index.js';
import type { ModelGraph } from '../graph/types.js';
import { layerClass } from '../layers/index.js';
import { tfjsTopology } from '../layers/tfjs/prepare.js';
import { graphFromModel as modelGraph, modelTopology, topologyLayers } from '../graph/index.js';

/** New widths for a graph's channel groups. */
export interface WidthPlan {
  /** New number of channels of each old group (by group id). */
  widths: Int32Array;
  /** Slot of each old class within its group in the new model, -1 when it is not carried over. */
  slots: Int32Array;
  /** Alive classes of each old group (the classes the widths scale). */
  alive: Int32Array;
}

/** A plan that keeps exactly the alive classes (pruning): widths = alive counts, slots = ranks. */
export function prunePlan(groups: GroupAnalysis, alive: Uint8Array | undefined): WidthPlan {
  return scaledPlan(groups, alive, (g, n) => n);
}

/**
 * A plan with new widths `width(group, aliveCount)`; old alive classes fill the first slots of their
 * group (in order) while there is room.
 */
export function scaledPlan(
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  width: (g: ChannelGroup, aliveCount: number) => number,
): WidthPlan {
  const widths = new Int32Array(groups.groups.length);
  const aliveCounts = new Int32Array(groups.groups.length);
  const slots = new Int32Array(groups.classCount).fill(-1);
  for (const g of groups.groups) {
    let n = 0;
    for (const c of g.classes) if (!alive || alive[c]) n++;
    aliveCounts[g.id] = n;
    widths[g.id] = g.pinned ? g.channels : width(g, n);
    let k = 0;
    for (const c of g.classes) {
      if (alive && !alive[c]) continue;
      if (k < widths[g.id]) slots[c] = k;
      k++;
    }
  }
  return { widths, slots, alive: aliveCounts };
}

/** Width of a tensor under a plan: each alive entry counts widths[g] / alive[g] of its group. */
export function plannedWidth(
  groups: GroupAnalysis,
  tensor: string,
  alive: Uint8Array | undefined,
  plan: WidthPlan,
): number {
  let n = 0;
  for (const c of groups.tensorClasses.get(tensor)!) {
    if (alive && !alive[c]) continue;
    const g = groups.classGroup[c];
    n += plan.widths[g] / plan.alive[g];
  }
  return Math.round(n);
}

/**
 * A copy of a model's topology ({@link modelTopology}) with the channel-owning layers at
 * their planned widths and channel-dependent Reshape targets scaled to match.
 */
export function resizeTopology(
  topology: object,
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  plan: WidthPlan,
): Record<string, unknown> {
  const copy = structuredClone(topology) as Record<string, unknown>;
  for (const layer of topologyLayers(copy)) {
    const name = layer.config['name'] as string;
    const info = graph.layers.get(name);
    if (!info) continue;
    const op = graph.opsById.get(info.ops[0])!;
    const input = op.inputs.length === 1 ? op.inputs[0] : undefined;
    const inShape = op.inputShapes[0] ?? [];
    layerClass(info.className)?.resize(
      layer.config,
      {
        inputBefore: inShape[inShape.length - 1] ?? 0,
        inputAfter: input ? plannedWidth(groups, input, alive, plan) : 0,
        output: plannedWidth(groups, op.outputs[0], alive, plan),
      },
      op,
    );
  }
  return copy;
}

/** Builds a model from a topology object with fresh initial weights. */
export async function modelFromTopology(topology: Record<string, unknown>): Promise<tf.LayersModel> {
  return tf.models.modelFromJSON({ modelTopology: tfjsTopology(topology) } as unknown as tf.io.ModelJSON);
}

/** The channel groups of a rebuilt model matched to the old groups (old group id → new group). */
export function matchGroups(oldGroups: GroupAnalysis, newGroups: GroupAnalysis): Map<number, ChannelGroup> {
  const key = (g: ChannelGroup) => `${g.layers.join('\u0000')}\u0001${g.pinned ?? ''}`;
  const byKey = new Map(newGroups.groups.map((g) => [key(g), g]));
  const out = new Map<number, ChannelGroup>();
  for (const g of oldGroups.groups) {
    const n = byKey.get(key(g));
    if (n) out.set(g.id, n);
  }
  return out;
}

/**
 * For each tensor of the old graph, the index of each old entry in the new model's tensor (-1 when its
 * channel is not carried over). Throws when the rebuilt model's groups do not have the planned widths.
 */
export function tensorMaps(
  oldGraph: ModelGraph,
  oldGroups: GroupAnalysis,
  newGraph: ModelGraph,
  newGroups: GroupAnalysis,
  plan: WidthPlan,
): Map<string, Int32Array> {
  const matched = matchGroups(oldGroups, newGroups);
  for (const g of oldGroups.groups) {
    const n = matched.get(g.id);
    if (plan.widths[g.id] > 0 && (!n || n.channels !== plan.widths[g.id])) {
      throw new Error(
        `rebuilding: channel group ${g.id} (${g.layers[0]}) has ${n?.channels ?? 0} channels in the new model, expected ${plan.widths[g.id]}`,
      );
    }
  }
  const newClassOf = new Int32Array(oldGroups.classCount).fill(-1);
  for (let c = 0; c < oldGroups.classCount; c++) {
    const slot = plan.slots[c];
    const n = matched.get(oldGroups.classGroup[c]);
    if (slot >= 0 && n) newClassOf[c] = n.classes[slot];
  }
  const maps = new Map<string, Int32Array>();
  for (const op of oldGraph.ops) {
    const t = op.outputs[0];
    const oldClasses = oldGroups.tensorClasses.get(t)!;
    const newClasses = newGroups.tensorClasses.get(t);
    if (!newClasses || !newGraph.tensors.has(t)) throw new Error(`rebuilding: tensor ${t} is missing`);
    const entries = new Map<number, number[]>();
    newClasses.forEach((c, i) => {
      let list = entries.get(c);
      if (!list) entries.set(c, (list = []));
      list.push(i);
    });
    const seen = new Map<number, number>();
    maps.set(
      t,
      Int32Array.from(oldClasses, (c) => {
        const nc = newClassOf[c];
        if (nc < 0) return -1;
        const r = seen.get(nc) ?? 0;
        seen.set(nc, r + 1);
        return entries.get(nc)?.[r] ?? -1;
      }),
    );
  }
  return maps;
}

/** Builds the model a plan describes and its graph, groups and old→new tensor maps. */
export async function rebuildModel(
  model: tf.LayersModel,
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  plan: WidthPlan,
  options: GraphOptions = {},
): Promise<{
  model: tf.LayersModel;
  graph: ModelGraph;
  groups: GroupAnalysis;
  maps: Map<string, Int32Array>;
}> {
  const topology = resizeTopology(modelTopology(model), graph, groups, alive, plan);
  const rebuilt = await modelFromTopology(topology);
  const newGraph = modelGraph(rebuilt, options);
  const newGroups = analyzeGroups(newGraph);
  const maps = tensorMaps(graph, groups, newGraph, newGroups, plan);
  return { model: rebuilt, graph: newGraph, groups: newGroups, maps };
}
