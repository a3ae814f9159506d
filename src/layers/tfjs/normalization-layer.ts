/**
 * Keras' Normalization as a tf.js layer class, registered with tf.js's serialization so that
 * `tf.loadLayersModel` reads files holding it (EfficientNet's first layer) once morphnet is imported:
 * `y = (x − mean) / max(√variance, 1e-7)` over the last axis (`invert`: `mean + x · std`), with `mean`,
 * `variance` and an integer `count` as non-trainable weights, or constants from its config.
 */
import * as tf from '@tensorflow/tfjs';
import { KERAS_EPSILON } from '../../graph/config.js';

/** The layer's arguments, as tf.js hands over a Keras config (keys in camelCase). */
interface NormalizationLayerArgs {
  name?: string;
  trainable?: boolean;
  batchInputShape?: tf.Shape;
  inputShape?: tf.Shape;
  dtype?: tf.DataType;
  axis?: number | number[] | null;
  mean?: number | number[] | null;
  variance?: number | number[] | null;
  invert?: boolean;
}

/** Keras' Normalization for tf.js (see the file comment). */
export class NormalizationLayer extends tf.layers.Layer {
  /** The class name tf.js reads and writes. */
  static className = 'Normalization';
  private readonly axis: number | number[] | null;
  private readonly givenMean: number[] | null;
  private readonly givenVariance: number[] | null;
  private readonly invert: boolean;
  private mean: tf.LayerVariable | null = null;
  private variance: tf.LayerVariable | null = null;

  constructor(args: NormalizationLayerArgs) {
    super(args);
    this.axis = args.axis ?? -1;
    this.givenMean = args.mean == null ? null : [args.mean].flat();
    this.givenVariance = args.variance == null ? null : [args.variance].flat();
    this.invert = args.invert ?? false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1] as number;
    if (this.givenMean === null) {
      const notTrained = false;
      this.mean = this.addWeight(
        'mean',
        [channels],
        'float32',
        tf.initializers.zeros(),
        undefined,
        notTrained,
      );
      this.variance = this.addWeight(
        'variance',
        [channels],
        'float32',
        tf.initializers.ones(),
        undefined,
        notTrained,
      );
      this.addWeight('count', [], 'int32', tf.initializers.zeros(), undefined, notTrained);
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const mean = this.mean ? this.mean.read() : tf.tensor(this.givenMean!);
      const variance = this.variance ? this.variance.read() : tf.tensor(this.givenVariance!);
      const std = tf.maximum(tf.sqrt(variance), KERAS_EPSILON);
      return this.invert ? tf.add(tf.mul(x, std), mean) : tf.div(tf.sub(x, mean), std);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      axis: this.axis,
      mean: this.givenMean,
      variance: this.givenVariance,
      invert: this.invert,
    };
  }
}

tf.serialization.registerClass(NormalizationLayer);
