import { describe, expect, it } from 'vitest';
import { checkDataFitsModel } from '../../src/data/index.js';

const mnist = { name: 'mnist', imageShape: [28, 28, 1] as [number, number, number], classes: 10 };

describe('checkDataFitsModel', () => {
  it('accepts matching shapes, with or without a batch dimension, and open sizes', () => {
    expect(() => checkDataFitsModel(mnist, [null, 28, 28, 1], 10, 'zoo:mnist')).not.toThrow();
    expect(() => checkDataFitsModel(mnist, [28, 28, 1], 10, 'zoo:mnist')).not.toThrow();
    expect(() => checkDataFitsModel(mnist, [null, null, null, 1], undefined, 'net.json')).not.toThrow();
  });

  it('refuses other image shapes and class counts in one sentence naming both', () => {
    expect(() => checkDataFitsModel(mnist, [null, 32, 32, 3], 10, 'zoo:cifar')).toThrow(
      'zoo:cifar takes 32×32×3 images but mnist holds 28×28×1 images.',
    );
    expect(() => checkDataFitsModel(mnist, [null, 28, 28, 1], 100, 'm.json')).toThrow(
      'm.json has 100 outputs but mnist has 10 classes.',
    );
    expect(() => checkDataFitsModel(mnist, [null, 784], 10, 'mlp.json')).toThrow(
      'mlp.json takes input of shape 784, not images; mnist holds 28×28×1 images.',
    );
  });
});
