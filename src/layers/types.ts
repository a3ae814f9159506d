/**
 * The contract of a layer class in the registry: everything morphnet knows about one Keras class (or a
 * family of classes that behave alike), in one place, as Torch-Pruning keeps one pruner per layer kind.
 * A class module fills a {@link LayerDefinition} with its typed config; {@link defineLayer} turns it into
 * the {@link LayerClass} the graph, grouping, cost, pruning and both engines read.
 */
import type { BilinearResource, CostTerms } from '../cost/bilinear.js';
import type { LayerEmitter } from '../engine/onnx/types.js';
import type { LatencyKind, OpPart } from '../latency/kinds.js';
import type { ChannelContext } from '../groups/types.js';
import type { LayerConfig, LayerInfo, OpNode, Shape } from '../graph/types.js';
import type { WeightValues } from '../structure/weights.js';
import type { KerasClassName } from './names.js';

/** A weight of a layer before it is named after the layer. */
export interface WeightShape {
  shortName: string;
  shape: number[];
  trainable: boolean;
  /** Stored type (default float32; Normalization's `count` is an integer). */
  dtype?: 'float32' | 'int32';
}

/** A channel-owning class: its width is a config key, its kernel is the group-lasso switch. */
export interface OwnerSpec {
  /** Config key holding the output width (`filters` or `units`). */
  widthKey: 'filters' | 'units';
  /** Short name of the kernel whose output slices switch the channels (`kernel`, `pointwise_kernel`). */
  kernel: string;
  /** Axis of the output channels in that kernel (tf.js layout). */
  axis: number;
}

/** Old→new index maps of the tensors a layer reads and writes (null: not remapped). */
export interface AxisIO {
  /** Rank of the weight. */
  rank: number;
  /** Map of the op's single input, null for several inputs. */
  input: Int32Array | null;
  output: Int32Array;
}

/** Per-axis old→new maps of one weight: `[axis, map]` pairs, the other axes unchanged. */
export type AxisMapEntries = [number, Int32Array | null][];

/** Constant value (NaN: unknown) and exactness of each dead entry of a tensor; alive entries are NaN. */
export interface TensorConstants {
  value: Float64Array;
  exact: Uint8Array;
}

/** What a class sees when it computes the constant its dead output channels carry. */
export interface ConstantContext {
  op: OpNode;
  /** Entries of the output tensor. */
  size: number;
  /** Whether output entry i is dead. */
  dead(i: number): boolean;
  /** Constants of input k. */
  input(k: number): TensorConstants;
  /** A weight of the op's layer by short name. */
  weight(shortName: string): WeightValues | undefined;
  /** Where to write: value and exactness per output entry (pre-filled NaN / 0). */
  out: TensorConstants;
}

/** What a channel-mixing class needs to fold the constant of its dead input channels. */
export interface FoldInput {
  op: OpNode;
  /** Constants of the op's input. */
  input: TensorConstants;
  /** Dead input entries of known, non-zero constant value. */
  deadEntries: number[];
  weight(shortName: string): WeightValues | undefined;
}

/** Old and new channel counts a rebuilt layer sees. */
export interface ResizeWidths {
  /** Channels of the op's input before and after. */
  inputBefore: number;
  inputAfter: number;
  /** Planned output channels (for channel owners). */
  output: number;
}

/** How tf.js handles a class. */
export interface TfjsSupport {
  /** `native`: tf.js has the class; `registered`: morphnet registers it; `none`: tf.js cannot load it. */
  availability: 'native' | 'registered' | 'none';
  /** Names tf.js builds but cannot differentiate (Masking's `Any`, ThresholdedReLU's `Greater`). */
  untrainable?: readonly KerasClassName[];
  /** Names of a native family that tf.js nevertheless lacks (e.g. Subtract among the merges). */
  lacking?: readonly KerasClassName[];
  /** Edits a layer's Keras config in place before tf.js reads it (fields tf.js refuses). */
  prepareConfig?(config: LayerConfig): void;
  /** Completes a config from the layer's weight shapes (fields tf.js does not serialise). */
  completeConfig?(config: LayerConfig, weightShape: (shortName: string) => number[] | undefined): void;
}

/** How a class rewrites itself when morphnet writes a model (a class tf.js lacks, as a native one). */
export interface NativeForm {
  /** The tf.js class written instead. */
  className: KerasClassName;
  /** The written config, from the layer's config. */
  config(config: LayerConfig): LayerConfig;
  /** The written weights (short name → values and shape), from the layer's own and its channel count. */
  weights(
    weights: Map<string, WeightValues>,
    config: LayerConfig,
    channels: number,
  ): Map<string, WeightValues>;
}

/** Everything morphnet knows of a class, with its config typed `A` (parsed once per layer). */
export interface LayerDefinition<A> {
  /** Keras class names of the family (each canonical). */
  names: readonly [KerasClassName, ...KerasClassName[]];
  /** Other names Keras writes for them: alias → canonical name. */
  aliases?: Partial<Record<KerasClassName, KerasClassName>>;
  /** Reads the Keras config once: defaults applied, values checked (errors are sentences). */
  parse(config: LayerConfig, className: KerasClassName): A;
  /** Output shape (without the batch) from the input shapes. */
  outputShape(inputs: Shape[], args: A): Shape;
  /** The layer's weights as tf.js names them (default: none). */
  weights?(inputs: Shape[], args: A): WeightShape[];
  /** How channels flow through the op (union-find ties, sources, pins). */
  channels(ctx: ChannelContext, args: A): void;
  /** The bilinear cost terms of one op (undefined: the default, no per-channel cost). */
  cost?(resource: BilinearResource, op: OpNode, args: A, layer: LayerInfo): CostTerms | undefined;
  /** The measured-latency profile kinds the op is made of (default: one element-wise `latencyKind`). */
  latency?(op: OpNode, args: A): OpPart[];
  /** The element-wise profile kind of the class (or of each name of the family; default `activation`). */
  latencyKind?: LatencyKind | Partial<Record<KerasClassName, LatencyKind>>;
  /** Set for classes whose output width is their own config (the keys of the structure file). */
  owner?: OwnerSpec;
  /** The activation fused into the layer's output (default `linear`). */
  activation?(args: A): string;
  /** Which axes of a weight follow which tensor when channels are removed or added. */
  axisMaps?(shortName: string, io: AxisIO, args: A): AxisMapEntries;
  /** The constant of dead output channels (default: unknown). */
  constant?(ctx: ConstantContext, args: A): void;
  /** δ[o] a dead constant input adds to output o, to fold into a bias (channel-mixing classes). */
  fold?(input: FoldInput, args: A): Float64Array;
  /** Whether a fold into this op is exact at the borders (1×1 / `valid` windows, dense). */
  foldExact?(args: A): boolean;
  /**
   * A weight a constant added to the op's input can be subtracted from, keeping its output (BatchNormalization's
   * `moving_mean` at inference): where a bias-less layer before it folds its dead inputs.
   */
  absorbsShift?: string;
  /** Rewrites the config of a rebuilt layer at new widths. */
  resize?(config: LayerConfig, widths: ResizeWidths, args: A): void;
  /** The ONNX emitter of the onnx engine (forward and backward), when it compiles the class. */
  emitter?: LayerEmitter;
  /** How tf.js loads the class. */
  tfjs: TfjsSupport;
  /** The native tf.js form morphnet writes instead, for a class tf.js lacks. */
  nativeForm?: NativeForm;
  /** Set for classes morphnet refuses: the sentence, given the layer's name. */
  refusal?(layer: string, className: string): string;
}

/** A registered class: the definition with its typed config read back from the op. */
export interface LayerClass {
  readonly names: readonly KerasClassName[];
  readonly aliases: Partial<Record<KerasClassName, KerasClassName>>;
  parse(config: LayerConfig, className: KerasClassName): unknown;
  outputShape(inputs: Shape[], args: unknown): Shape;
  weights(inputs: Shape[], args: unknown): WeightShape[];
  channels(ctx: ChannelContext): void;
  cost(resource: BilinearResource, op: OpNode, layer: LayerInfo): CostTerms | undefined;
  latency(op: OpNode): OpPart[] | undefined;
  latencyKind(className: string): LatencyKind | undefined;
  readonly owner?: OwnerSpec;
  activation(op: OpNode): string;
  axisMaps(shortName: string, io: AxisIO, op: OpNode): AxisMapEntries;
  constant(ctx: ConstantContext): void;
  readonly folds: boolean;
  fold(input: FoldInput): Float64Array | undefined;
  foldExact(op: OpNode): boolean;
  readonly absorbsShift?: string;
  resize(config: LayerConfig, widths: ResizeWidths, op: OpNode): void;
  /** The emitter, when it compiles this very class (a family emitter may cover only some names). */
  emitter(className: string): LayerEmitter | undefined;
  readonly tfjs: TfjsSupport;
  readonly nativeForm?: NativeForm;
  refusal?(layer: string, className: string): string;
}

/** Turns a class definition into a registered class; the one place a parsed config is read back. */
export function defineLayer<A>(def: LayerDefinition<A>): LayerClass {
  const args = (op: { args: unknown }) => op.args as A;
  return {
    names: def.names,
    aliases: def.aliases ?? {},
    parse: (config, className) => def.parse(config, className),
    outputShape: (inputs, a) => def.outputShape(inputs, a as A),
    weights: (inputs, a) => def.weights?.(inputs, a as A) ?? [],
    channels: (ctx) => def.channels(ctx, args(ctx.op)),
    cost: (resource, op, layer) => def.cost?.(resource, op, args(op), layer),
    latency: (op) => def.latency?.(op, args(op)),
    latencyKind: (className) =>
      typeof def.latencyKind === 'string' ? def.latencyKind : def.latencyKind?.[className as KerasClassName],
    owner: def.owner,
    activation: (op) => def.activation?.(args(op)) ?? 'linear',
    axisMaps: (shortName, io, op) => def.axisMaps?.(shortName, io, args(op)) ?? [],
    constant: (ctx) => def.constant?.(ctx, args(ctx.op)),
    folds: def.fold !== undefined,
    fold: (input) => def.fold?.(input, args(input.op)),
    foldExact: (op) => def.foldExact?.(args(op)) ?? true,
    absorbsShift: def.absorbsShift,
    resize: (config, widths, op) => def.resize?.(config, widths, args(op)),
    emitter: (className) => (def.emitter?.classes.includes(className) ? def.emitter : undefined),
    tfjs: def.tfjs,
    nativeForm: def.nativeForm,
    refusal: def.refusal,
  };
}
