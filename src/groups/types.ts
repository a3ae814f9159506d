/** Channel groups: which channels of which layers live or die together, and what switches them. */
import type { LayerInfo, OpNode } from '../graph/types.js';

/** A per-channel switch: a BN γ, or the output slice of a conv/dense kernel (group lasso). */
export interface SourceSpec {
  kind: 'gamma' | 'kernel';
  layer: string;
  /** Weight manifest name, e.g. `bn1/gamma` or `conv1/kernel`. */
  weight: string;
  /** For kernels: the axis of the output channels (3 for Conv2D, 2 for Conv2DTranspose, 1 for Dense). */
  axis: number;
  /** Channel elements switched by index i of the weight's channel axis. */
  ids: Int32Array;
}

/** Why a channel can never be pruned. */
export type PinReason = 'input' | 'output' | 'boundary';

/** What a class's channel rule (`src/layers`) sees of one op, and how it records the channel flow. */
export interface ChannelContext {
  readonly op: OpNode;
  readonly layer: LayerInfo;
  /** Channel elements of input `i` (one per entry of its last dimension). */
  input(i: number): Int32Array;
  /** Number of inputs of the op. */
  readonly inputCount: number;
  /** New channel elements. */
  fresh(n: number): Int32Array;
  /**
   * Channel elements owned by the layer (created on its first application and reused when the layer is
   * shared, so a shared layer's weights stay one set of channels).
   */
  owned(key: string, n: number): Int32Array;
  /** Ties `a[i]` and `b[i]` for every i (the arrays must be the same length). */
  tie(a: Int32Array, b: Int32Array): void;
  /** Sets the op's output channel elements. */
  setOutput(ids: Int32Array): void;
  /** Marks channels as never prunable. */
  pin(ids: Int32Array, reason: PinReason): void;
  /** Records a switch over channels. */
  addSource(source: Omit<SourceSpec, 'layer'>): void;
  /** Records that the op is kept whole (its layer is listed as a boundary). */
  boundary(): void;
}

/** One group of channels that must be pruned together. */
export interface ChannelGroup {
  id: number;
  /** Number of independent channels (classes) in the group. */
  channels: number;
  /** Class indices of the group's channels, in order of first appearance. */
  classes: number[];
  /** Layers whose output channels (or a slice of them) belong to the group, in model order. */
  layers: string[];
  /** Switches that can turn the group's channels off. */
  sources: { kind: 'gamma' | 'kernel'; layer: string; weight: string }[];
  /** Set when the group can never be pruned (it touches a model input or output, or a boundary). */
  pinned?: PinReason;
}

/** The channel analysis of a graph. */
export interface GroupAnalysis {
  /** Channel classes (independently prunable channels): number of them. */
  classCount: number;
  /** Class index of each channel of each tensor (by tensor id). */
  tensorClasses: Map<string, Int32Array>;
  /** Group index of each class. */
  classGroup: Int32Array;
  /** Pin reason of each class (undefined: prunable). */
  classPinned: (PinReason | undefined)[];
  groups: ChannelGroup[];
  /** Sources with `ids` resolved to class indices. */
  sources: SourceSpec[];
  /** Layers kept whole because their class is unknown or unsupported, in model order. */
  boundaries: string[];
}
