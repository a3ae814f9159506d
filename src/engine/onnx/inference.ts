/**
 * The inference graph of a planned model, as a deployable ONNX file: the compiler's forward pass only
 * (moving BN statistics, dropout off, the output's softmax kept), every weight an initializer in its
 * native layout, one channels-last input with a symbolic batch dimension and one output. Plain ONNX
 * (default domain, opset 13, no onnxruntime-only kernels), so any ONNX runtime loads it.
 */
import onnxProto from 'onnx-proto';
import { GraphBuilder } from './builder.js';
import { emitForward } from './compile.js';
import { toNative } from './permute.js';
import type { Plan, PlanWeight } from './plan.js';
import type { EmitContext } from './types.js';

const { onnx } = onnxProto;
const FLOAT = 1;
/** The symbolic batch dimension of the exported graph. */
export const BATCH_DIM = 'batch';

/** Names of the exported graph's input and output. */
export interface InferenceNames {
  input: string;
  output: string;
}

function floatTensor(name: string, data: Float32Array, dims: number[]): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dataType: FLOAT, dims, rawData: Uint8Array.from(bytes) };
}

function tensorInfo(name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}

/** An emit context for inference whose weights are initializers of the given tf.js-layout values. */
function inferenceContext(
  b: GraphBuilder,
  plan: Plan,
  weights: Map<string, Float32Array>,
  initializers: onnxProto.onnx.ITensorProto[],
): EmitContext {
  const emitted = new Set<string>();
  const weight = (w: PlanWeight): string => {
    if (!emitted.has(w.name)) {
      const data = weights.get(w.name);
      if (!data) throw new Error(`no value for the weight "${w.name}"`);
      initializers.push(floatTensor(w.name, toNative(data, w.tfShape, w.layout), w.layout.shape));
      emitted.add(w.name);
    }
    return w.name;
  };
  const find = (layer: string, short: string) => plan.weightsByName.get(`${layer}/${short}`);
  return {
    b,
    mode: 'infer',
    updatesStatistics: false,
    weight(op, short) {
      const w = find(op.layer, short);
      if (!w) throw new Error(`layer "${op.layer}" has no weight "${short}"`);
      return weight(w);
    },
    hasWeight: (op, short) => find(op.layer, short) !== undefined,
    weightGrad: () => {},
    setStatistic: () => {},
    activation: (_op, name) => name,
    dropoutMask: () => {
      throw new Error('an inference graph has no dropout masks');
    },
  };
}

/**
 * Serialises the inference graph of a plan. `weights` holds every weight of the plan by manifest name, in
 * tf.js layout; the input takes `[batch, ...inputShape]` (NHWC), the output is the model's own.
 */
export function inferenceGraph(
  plan: Plan,
  weights: Map<string, Float32Array>,
  names: InferenceNames,
): Uint8Array {
  const b = new GraphBuilder();
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  const ctx = inferenceContext(b, plan, weights, initializers);
  const x = b.input(names.input, [BATCH_DIM, ...plan.inputShape]);
  const { tensorNames } = emitForward(ctx, plan, x);
  const y = tensorNames.get(plan.graph.outputs[0])!;
  b.nodes.push({ opType: 'Identity', input: [y], output: [names.output], name: `out:${names.output}` });
  // Constant tensors the training graphs feed at run time become initializers here.
  const fed = new Set(b.constFeeds.map((f) => f.name));
  for (const f of b.constFeeds) initializers.push(floatTensor(f.name, f.data, f.dims));
  const domains = new Set(b.nodes.map((n) => n.domain ?? '').filter((d) => d !== ''));
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'morphnet',
    opsetImport: [
      { domain: '', version: b.opset },
      ...[...domains].map((domain) => ({ domain, version: 1 })),
    ],
    graph: {
      name: plan.graph.name,
      node: b.nodes,
      input: b.inputs.filter((i) => !fed.has(i.name!)),
      output: [tensorInfo(names.output, [BATCH_DIM, plan.classes])],
      initializer: [...b.initializers, ...initializers],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
