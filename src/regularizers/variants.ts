/**
 * The named network regularizers of morph-net: γ-based (needs BatchNorm with `scale: true`) and group-lasso
 * (the RMS norm of each output channel's kernel slice; for networks without BatchNorm).
 */
import type { ModelGraph } from '../graph/types.js';
import type { Hardware } from '../cost/index.js';
import { NetworkRegularizer, type RegularizerOptions } from './network-regularizer.js';

/** |γ| weighted by FLOPs (morph-net's GammaFlopsRegularizer). */
export class GammaFlops extends NetworkRegularizer {
  constructor(graph: ModelGraph, options: RegularizerOptions = {}) {
    super(graph, 'flops', 'gamma', options);
  }
}

/** |γ| weighted by model size in kernel weights (GammaModelSizeRegularizer). */
export class GammaModelSize extends NetworkRegularizer {
  constructor(graph: ModelGraph, options: RegularizerOptions = {}) {
    super(graph, 'size', 'gamma', options);
  }
}

/** |γ| weighted by roofline latency on named hardware (GammaLatencyRegularizer, batch 1). */
export class GammaLatency extends NetworkRegularizer {
  constructor(graph: ModelGraph, hardware: string | Hardware, options: RegularizerOptions = {}) {
    super(graph, 'latency', 'gamma', { ...options, hardware });
  }
}

/** |γ| weighted by the activation count of conv/dense outputs (GammaActivationRegularizer). */
export class GammaActivation extends NetworkRegularizer {
  constructor(graph: ModelGraph, options: RegularizerOptions = {}) {
    super(graph, 'activations', 'gamma', options);
  }
}

/** Kernel RMS norms weighted by FLOPs (GroupLassoFlopsRegularizer, l1_fraction 0). */
export class GroupLassoFlops extends NetworkRegularizer {
  constructor(graph: ModelGraph, options: RegularizerOptions = {}) {
    super(graph, 'flops', 'kernel', options);
  }
}

/** Kernel RMS norms weighted by model size (GroupLassoModelSizeRegularizer). */
export class GroupLassoModelSize extends NetworkRegularizer {
  constructor(graph: ModelGraph, options: RegularizerOptions = {}) {
    super(graph, 'size', 'kernel', options);
  }
}
