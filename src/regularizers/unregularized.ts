/** Prunable channel groups a regularizer cannot act on (no switch of its kind), with the reason. */
import { bool } from '../graph/config.js';
import type { ModelGraph } from '../graph/types.js';
import type { GroupAnalysis } from '../groups/types.js';

/** A group left unregularized, and why. */
export interface UnregularizedGroup {
  group: number;
  channels: number;
  layers: string[];
  reason: string;
}

/** Groups that are not pinned and have no source of the given kind. */
export function unregularizedGroups(
  graph: ModelGraph,
  groups: GroupAnalysis,
  kind: 'gamma' | 'kernel',
): UnregularizedGroup[] {
  const out: UnregularizedGroup[] = [];
  for (const g of groups.groups) {
    if (g.pinned || g.sources.some((s) => s.kind === kind)) continue;
    let reason: string;
    if (kind === 'gamma') {
      const noScale = g.layers.filter((n) => {
        const l = graph.layers.get(n)!;
        return l.className === 'BatchNormalization' && !bool(l.config, 'scale', true);
      });
      reason = noScale.length
        ? `BatchNormalization ${noScale.map((n) => `"${n}"`).join(', ')} has scale: false (no γ)`
        : 'no BatchNormalization γ on these channels';
    } else reason = 'no conv/dense kernel owns these channels';
    out.push({ group: g.id, channels: g.channels, layers: g.layers, reason });
  }
  return out;
}
