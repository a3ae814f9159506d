/**
 * A small ONNX graph builder shared by the layer emitters: nodes with fresh names, cached constants,
 * graph inputs/outputs, and constant tensors fed at run time (kept out of initializers, see the research
 * note: constant filters as initializers make onnxruntime switch layouts).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** A float attribute (plain numbers are integer attributes). */
export interface FloatAttr {
  float: number;
}
/** A list-of-floats attribute. */
export interface FloatsAttr {
  floats: number[];
}
/** Attribute values: integers, lists of integers, strings, floats (wrapped). */
export type AttrValue = number | number[] | string | FloatAttr | FloatsAttr;

/** Wraps a number as a float attribute. */
export function F(value: number): FloatAttr {
  return { float: value };
}

/** A constant tensor fed as a graph input on every run. */
export interface ConstFeed {
  name: string;
  data: Float32Array;
  dims: number[];
}

const FLOAT = 1;
const INT64 = 7;

/** Graph input/output dims: numbers, or a string for a symbolic (batch) dimension. */
export type Dim = number | string;

function valueInfo(name: string, dims: Dim[] | undefined, elemType: number): onnxProto.onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: dims
          ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }
          : undefined,
      },
    },
  });
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return { name, type: A.INT, i: v };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  if ('float' in v) return { name, type: A.FLOAT, f: v.float };
  return { name, type: A.FLOATS, floats: v.floats };
}

/** Builds one ONNX model (opset 13 unless a node needs more). */
export class GraphBuilder {
  readonly nodes: onnxProto.onnx.INodeProto[] = [];
  readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  readonly constFeeds: ConstFeed[] = [];
  /** Default-domain opset; raised by emitters that need newer ops (e.g. ScatterElements with add). */
  opset = 13;
  /**
   * Channel block of onnxruntime's NCHWc convolutions on this CPU (16 with AVX-512, 8 with AVX2), or 0 to
   * use plain Conv only. Must come from `detectNchwcBlock`: a wrong block gives silently wrong results.
   */
  nchwcBlock = 0;
  private counter = 0;
  private readonly cache = new Map<string, string>();
  private readonly inputNames = new Set<string>();

  /** A fresh tensor name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}#${this.counter++}`;
  }

  /** Adds a node and returns its output names. */
  node(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    outputs = 1,
    domain = '',
  ): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(opType));
    this.nodes.push({
      opType,
      domain,
      input: inputs,
      output: outs,
      name: outs[0],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}): string {
    return this.node(opType, inputs, attrs)[0];
  }

  /** Declares a float graph input. */
  input(name: string, dims: Dim[]): string {
    if (!this.inputNames.has(name)) {
      this.inputNames.add(name);
      this.inputs.push(valueInfo(name, dims, FLOAT));
    }
    return name;
  }

  /** Declares a float graph output, renaming the tensor through an Identity when needed. */
  output(name: string, tensor: string): void {
    this.nodes.push({ opType: 'Identity', input: [tensor], output: [name], name: `out:${name}` });
    this.outputs.push(valueInfo(name, undefined, FLOAT));
  }

  /** A float scalar constant (cached). */
  scalar(value: number): string {
    return this.floats([value], []);
  }

  /** A float constant tensor (cached by value). */
  floats(values: number[], dims: number[]): string {
    const key = `f:${dims.join(',')}:${values.join(',')}`;
    let name = this.cache.get(key);
    if (!name) {
      name = this.fresh('const');
      this.initializers.push({ name, dataType: FLOAT, dims, floatData: values });
      this.cache.set(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, pads; cached by value). */
  ints(values: number[]): string {
    const key = `i:${values.join(',')}`;
    let name = this.cache.get(key);
    if (!name) {
      name = this.fresh('ints');
      this.initializers.push({ name, dataType: INT64, dims: [values.length], int64Data: values });
      this.cache.set(key, name);
    }
    return name;
  }

  /** A constant float tensor fed as a graph input on every run (cached by key). */
  feed(key: string, dims: number[], make: () => Float32Array): string {
    const cacheKey = `feed:${key}`;
    let name = this.cache.get(cacheKey);
    if (!name) {
      name = `const:${key}`;
      this.input(name, dims);
      this.constFeeds.push({ name, data: make(), dims });
      this.cache.set(cacheKey, name);
    }
    return name;
  }

  // Shorthands for common ops.
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  neg(a: string): string {
    return this.op('Neg', [a]);
  }
  /** Reshape to a shape list (0 copies the input dim, -1 infers). */
  reshape(x: string, shape: number[]): string {
    return this.op('Reshape', [x, this.ints(shape)]);
  }
  transpose(x: string, perm: number[]): string {
    return this.op('Transpose', [x], { perm });
  }
  /** ReduceSum over axes (opset 13: axes as an input). */
  reduceSum(x: string, axes: number[], keepdims: boolean): string {
    return this.op('ReduceSum', [x, this.ints(axes)], { keepdims: keepdims ? 1 : 0 });
  }
  /** ReduceMean over axes (opset 13: axes as an attribute). */
  reduceMean(x: string, axes: number[], keepdims: boolean): string {
    return this.op('ReduceMean', [x], { axes, keepdims: keepdims ? 1 : 0 });
  }
  /** 0/1 float mask of a comparison. */
  mask(cmp: 'Greater' | 'Less' | 'Equal', a: string, b: string): string {
    return this.op('Cast', [this.op(cmp, [a, b])], { to: FLOAT });
  }
  /** Sum of several tensors (one input passes through). */
  sum(xs: string[]): string {
    return xs.length === 1 ? xs[0] : this.op('Sum', xs);
  }

  /** Serialises the model. */
  toBytes(graphName = 'morphnet'): Uint8Array {
    const opsetImport = [
      { domain: '', version: this.opset },
      { domain: 'com.microsoft', version: 1 },
      { domain: 'com.microsoft.nchwc', version: 1 },
    ];
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'morphnet',
      opsetImport,
      graph: {
        name: graphName,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** The ONNX element type of int64, for Cast nodes. */
export const INT64_TYPE = INT64;
/** The ONNX element type of float32, for Cast nodes. */
export const FLOAT_TYPE = FLOAT;
