/**
 * The typed op graph morphnet reads every model into. Built from a tfjs/Keras `model.json` topology (or a
 * `tf.LayersModel`, through its `toJSON`), with shapes inferred from the topology alone.
 */

/** A tensor shape without the batch dimension, channels last (e.g. `[28, 28, 1]` or `[10]`). */
export type Shape = number[];

/** Keras/tfjs layer config as found in `model.json` (snake_case keys, e.g. `kernel_size`). */
export type LayerConfig = Record<string, unknown>;

/** One weight variable of a layer, named as in the tfjs weights manifest (e.g. `stem/kernel`). */
export interface WeightSpec {
  /** Full manifest name: `<layer name>/<weight>` (e.g. `stem_bn/gamma`, `sep/depthwise_kernel`). */
  name: string;
  /** Short name within the layer: `kernel`, `bias`, `gamma`, `beta`, `moving_mean`, ... */
  shortName: string;
  shape: number[];
  trainable: boolean;
  /** Stored type (default float32; Normalization's `count` is an integer). */
  dtype?: 'float32' | 'int32';
}

/** A layer of the model: holds the weights; applied by one op (or several, for a shared layer). */
export interface LayerInfo {
  name: string;
  className: string;
  config: LayerConfig;
  /** The config as its registered class parsed it (see `src/layers`); undefined for an unknown class. */
  args: unknown;
  weights: WeightSpec[];
  /** Keras `countParams()` of this layer: every weight, BN moving statistics included. */
  params: number;
  /** Ids of the ops that apply this layer (more than one when the layer is shared). */
  ops: string[];
}

/** A tensor in the graph: output `index` of op `op`. Its id is `${op}:${index}`. */
export interface TensorInfo {
  id: string;
  op: string;
  index: number;
  shape: Shape;
}

/** One application of a layer to its inputs (a Keras "node"). */
export interface OpNode {
  /** The layer name for a layer's first application; `${layer}@${k}` for its k-th re-use (k ≥ 1). */
  id: string;
  layer: string;
  className: string;
  config: LayerConfig;
  /** The config as its registered class parsed it (the layer's `args`). */
  args: unknown;
  /** Input tensor ids, in order. */
  inputs: string[];
  /** Output tensor ids, in order (most layers have one). */
  outputs: string[];
  inputShapes: Shape[];
  outputShapes: Shape[];
}

/** A whole model as an op graph, ops in topological order. */
export interface ModelGraph {
  name: string;
  /** Layers by name, in model order. */
  layers: Map<string, LayerInfo>;
  /** Ops in topological order (InputLayer ops first). */
  ops: OpNode[];
  opsById: Map<string, OpNode>;
  tensors: Map<string, TensorInfo>;
  /** Model input tensor ids (outputs of InputLayer ops). */
  inputs: string[];
  /** Model output tensor ids. */
  outputs: string[];
  /** Consumers of each tensor: op ids, in op order. */
  consumers: Map<string, string[]>;
}
