/** The layers that own channels (the keys of the structure file) and their output channel classes. */
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph } from '../graph/types.js';
import { layerClass, registeredClasses } from '../layers/index.js';

/** Whether a class's output channels are set by its own config (`filters` / `units`): its registry `owner`. */
export function ownsChannels(className: string): boolean {
  return layerClass(className)?.owner !== undefined;
}

/** The channel-owning classes (Conv2D, Conv2DTranspose, Dense, SeparableConv2D …), from the registry. */
export const OWNER_CLASSES: ReadonlySet<string> = new Set(
  registeredClasses()
    .filter((c) => c.owner)
    .flatMap((c) => c.names),
);

/** One channel-owning layer: its name, its output tensor and the class of each output channel. */
export interface OwnerLayer {
  name: string;
  className: string;
  tensor: string;
  classes: Int32Array;
}

/** The channel-owning layers of a graph, in model order (a shared layer by its first application). */
export function ownerLayers(graph: ModelGraph, groups: GroupAnalysis): OwnerLayer[] {
  const out: OwnerLayer[] = [];
  for (const layer of graph.layers.values()) {
    if (!ownsChannels(layer.className)) continue;
    const tensor = graph.opsById.get(layer.ops[0])!.outputs[0];
    out.push({
      name: layer.name,
      className: layer.className,
      tensor,
      classes: groups.tensorClasses.get(tensor)!,
    });
  }
  return out;
}

/** Number of alive entries of a tensor. */
export function aliveEntries(groups: GroupAnalysis, tensor: string, alive: Uint8Array | undefined): number {
  const classes = groups.tensorClasses.get(tensor)!;
  if (!alive) return classes.length;
  let n = 0;
  for (const c of classes) n += alive[c];
  return n;
}
