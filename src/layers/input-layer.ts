/** InputLayer: the model's input channels, never pruned. Its shape comes from `batch_input_shape`. */
import type { LayerConfig, Shape } from '../graph/types.js';
import { defineLayer, type LayerDefinition } from './types.js';
import { opPositions, part } from '../latency/parts.js';

/** An input's dims after the batch (null: unknown, filled by `inputShape`). */
export interface InputArgs {
  dims: (number | null)[] | null;
}

function readDims(config: LayerConfig): (number | null)[] | null {
  const raw = (config['batch_input_shape'] ?? config['batch_shape'] ?? config['batchInputShape']) as unknown;
  if (Array.isArray(raw)) return raw.slice(1).map((d) => (d === null ? null : Number(d)));
  if (Array.isArray(config['input_shape']))
    return (config['input_shape'] as unknown[]).map((d) => (d === null ? null : Number(d)));
  return null;
}

/** The shape of an input layer, unknown sizes filled from `fill` (e.g. `--input-shape`). */
export function inputShape(name: string, args: InputArgs, fill?: number[]): Shape {
  if (!args.dims) throw new Error(`input "${name}" has no batch_input_shape`);
  let dims = args.dims;
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

const definition: LayerDefinition<InputArgs> = {
  names: ['InputLayer'],
  parse: (config) => ({ dims: readDims(config) }),
  outputShape: (_inputs, a) => inputShape('input', a),
  channels(ctx) {
    const shape = ctx.op.outputShapes[0];
    const ids = ctx.fresh(shape[shape.length - 1]);
    ctx.pin(ids, 'input');
    ctx.setOutput(ids);
  },
  latency: (op) => [part('input', 0, 0, opPositions(op).pOut)],
  tfjs: { availability: 'native' },
};

/** InputLayer in the registry. */
export const inputLayer = defineLayer(definition);
