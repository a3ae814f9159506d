/** Helpers for the group pattern tests: analyse a model and describe its groups compactly. */
import { graphFromModel } from '../../src/graph/index.js';
import { analyzeGroups } from '../../src/groups/index.js';
import type { tf } from '../helpers/tf.js';

/** Groups of a model as `{ channels, layers, pinned? }`, in group order. */
export function groupsOf(model: tf.LayersModel) {
  const graph = graphFromModel(model);
  const analysis = analyzeGroups(graph);
  return {
    graph,
    analysis,
    groups: analysis.groups.map((g) => ({
      channels: g.channels,
      layers: g.layers,
      ...(g.pinned ? { pinned: g.pinned } : {}),
    })),
  };
}
