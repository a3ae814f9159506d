/**
 * The learned-structure file (DESIGN.md "The structure file"): `{ version: 1, target, threshold,
 * alive: { layer: count }, masks: { layer: [alive channel indices] }, cost: { before, after } }`, keyed
 * by the conv/dense layers that own channels. Written from an alive mask; read back (validated with zod)
 * into an alive mask for a given model, with one-sentence errors when it does not match the model.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { modelCost, TARGETS, type Target } from '../cost/index.js';
import { MorphnetError } from '../errors.js';
import type { GroupAnalysis } from '../groups/types.js';
import type { ModelGraph } from '../graph/types.js';
import { reviveDeadGroups } from './decide.js';
import { OWNER_CLASSES, ownerLayers } from './owners.js';

/** The zod schema of a structure file (extra keys are kept). */
export const structureSchema = z.looseObject({
  version: z.literal(1),
  target: z.enum(TARGETS as [Target, ...Target[]]),
  threshold: z.number().nonnegative().optional(),
  hardware: z.string().optional(),
  alive: z.record(z.string(), z.number().int().nonnegative()),
  masks: z.record(z.string(), z.array(z.number().int().nonnegative())).optional(),
  cost: z.object({ before: z.number(), after: z.number() }).optional(),
});

/** A parsed structure file. */
export type Structure = z.infer<typeof structureSchema>;

/** What the structure describes beyond the alive channels. */
export interface StructureInfo {
  target: Target;
  /** The threshold that decided the channels (recorded as is). */
  threshold?: number;
  /** Hardware name, for the latency target. */
  hardware?: string;
  /** Cost of the model before (default: the graph's full cost for the target). */
  costBefore?: number;
}

/** Builds the structure of a graph at an alive mask (alive counts, masks, cost before/after). */
export function structureFromAlive(
  graph: ModelGraph,
  groups: GroupAnalysis,
  alive: Uint8Array | undefined,
  info: StructureInfo,
): Structure {
  const aliveCounts: Record<string, number> = {};
  const masks: Record<string, number[]> = {};
  for (const owner of ownerLayers(graph, groups)) {
    const kept: number[] = [];
    owner.classes.forEach((c, i) => {
      if (!alive || alive[c]) kept.push(i);
    });
    aliveCounts[owner.name] = kept.length;
    masks[owner.name] = kept;
  }
  const hw = info.hardware;
  const before = info.costBefore ?? modelCost(graph, groups, info.target, { hardware: hw });
  const after = modelCost(graph, groups, info.target, { alive, hardware: hw });
  const s: Structure = {
    version: 1,
    target: info.target,
    alive: aliveCounts,
    masks,
    cost: { before, after },
  };
  if (info.threshold !== undefined) s.threshold = info.threshold;
  if (hw !== undefined) s.hardware = hw;
  return s;
}

/** Validates a parsed JSON value as a structure file; `source` names the file in errors. */
export function parseStructure(json: unknown, source = 'the structure'): Structure {
  const r = structureSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
    throw new MorphnetError(
      `${source}: not a morphnet structure file (${where}${issue.message.replace(/\.$/, '')}); expected { "version": 1, "target", "alive": { layer: count }, "masks": { layer: [indices] } }.`,
    );
  }
  return r.data;
}

/** Reads and validates a structure file. */
export async function readStructureFile(path: string): Promise<Structure> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new MorphnetError(
      code === 'ENOENT' ? `${path}: no such file.` : `${path}: cannot be read (${code}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MorphnetError(`${path}: is not JSON; expected a morphnet structure file.`);
  }
  return parseStructure(json, path);
}

/** True when a parsed JSON value looks like a structure file rather than a model. */
export function isStructureJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && 'alive' in json && 'version' in json;
}

/**
 * The alive mask a structure describes on a model. Layers with `masks` keep exactly those channels;
 * layers with only an `alive` count keep their strongest channels by `values` (per-class source values,
 * e.g. |γ|), or their first channels without values; layers not listed keep every channel. Errors when
 * the structure names unknown or non-owning layers, counts exceed a layer's width, masks are malformed,
 * prune the model's input/output channels, or disagree between layers whose channels are tied.
 */
export function aliveFromStructure(
  structure: Structure,
  graph: ModelGraph,
  groups: GroupAnalysis,
  options: { values?: Float32Array; source?: string } = {},
): { alive: Uint8Array; warnings: string[] } {
  const source = options.source ?? 'the structure';
  const owners = new Map(ownerLayers(graph, groups).map((o) => [o.name, o]));
  const decided = new Int8Array(groups.classCount).fill(-1); // -1 undecided, 0 dead, 1 alive
  const decidedBy: string[] = new Array(groups.classCount);
  const names = new Set([...Object.keys(structure.alive), ...Object.keys(structure.masks ?? {})]);
  for (const name of names) {
    const layer = graph.layers.get(name);
    if (!layer) throw new MorphnetError(`${source}: layer "${name}" is not in the model.`);
    const owner = owners.get(name);
    if (!owner || !OWNER_CLASSES.has(layer.className)) {
      throw new MorphnetError(
        `${source}: layer "${name}" (${layer.className}) does not own channels; expected a Conv2D, Conv2DTranspose, Dense or SeparableConv2D layer.`,
      );
    }
    const width = owner.classes.length;
    const count = structure.alive[name];
    if (count !== undefined && count > width) {
      throw new MorphnetError(
        `${source}: layer "${name}" has ${width} output channels, the structure keeps ${count}.`,
      );
    }
    let kept: number[];
    const mask = structure.masks?.[name];
    if (mask) {
      if (count !== undefined && mask.length !== count) {
        throw new MorphnetError(
          `${source}: layer "${name}" keeps ${count} channels under "alive" but ${mask.length} under "masks".`,
        );
      }
      const bad = mask.find((i) => i >= width);
      if (bad !== undefined)
        throw new MorphnetError(
          `${source}: layer "${name}" has ${width} output channels, its mask names channel ${bad}.`,
        );
      if (new Set(mask).size !== mask.length)
        throw new MorphnetError(`${source}: the mask of layer "${name}" repeats a channel.`);
      kept = mask;
    } else {
      const order = [...owner.classes.keys()];
      const v = options.values;
      if (v) order.sort((a, b) => v[owner.classes[b]] - v[owner.classes[a]] || a - b);
      kept = order.slice(0, count).sort((a, b) => a - b);
    }
    const keep = new Uint8Array(width);
    for (const i of kept) keep[i] = 1;
    for (let i = 0; i < width; i++) {
      const c = owner.classes[i];
      if (!keep[i] && groups.classPinned[c]) {
        throw new MorphnetError(
          `${source}: layer "${name}" channel ${i} is ${describePin(groups.classPinned[c]!)} and cannot be pruned.`,
        );
      }
      if (decided[c] !== -1 && decided[c] !== keep[i]) {
        throw new MorphnetError(
          `${source}: layers "${decidedBy[c]}" and "${name}" disagree on a channel they share (channel ${i} of "${name}"); tied channels must be kept or removed together.`,
        );
      }
      decided[c] = keep[i];
      decidedBy[c] = name;
    }
  }
  const alive = Uint8Array.from(decided, (d) => (d === 0 ? 0 : 1));
  const warnings = reviveDeadGroups(groups, alive, options.values, 'removed by the structure');
  return { alive, warnings };
}

function describePin(reason: string): string {
  if (reason === 'input') return "one of the model's input channels";
  if (reason === 'output') return "one of the model's output channels";
  return 'kept whole by a layer the analysis does not understand';
}
