/**
 * Channel-preserving layers: activations, dropout, pooling, padding, cropping, up-sampling, global pooling.
 * Output channel c is input channel c.
 */
import { ELEMENTWISE_CLASSES } from '../../graph/layer-specs.js';
import type { ChannelHandler } from '../types.js';

export const passthroughHandler: ChannelHandler = {
  classes: [
    ...ELEMENTWISE_CLASSES,
    'MaxPooling2D',
    'AveragePooling2D',
    'GlobalAveragePooling2D',
    'GlobalMaxPooling2D',
    'ZeroPadding2D',
    'Cropping2D',
    'UpSampling2D',
  ],
  propagate(ctx) {
    ctx.setOutput(ctx.input(0));
  },
};
