/**
 * Group lasso on a net without BatchNorm: a plain tf.js loop adding λ·(the regularizer's tf.js term)
 * to the task loss drives hidden units' kernel RMS norms under the threshold, while the units the task
 * needs stay, and the task is still learned.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromModel } from '../../src/graph/index.js';
import { GroupLassoFlops, readWeights, weightTensors } from '../../src/regularizers/index.js';
import { apply, cpuBackend, tf } from '../helpers/tf.js';

beforeAll(cpuBackend);

describe('group lasso finds dead channels without BN', () => {
  it('kills part of a 16-unit hidden layer on a task that needs few units', async () => {
    const x = tf.input({ shape: [8], name: 'x' });
    const init = tf.initializers.glorotUniform({ seed: 3 });
    const h = apply(
      tf.layers.dense({ name: 'hidden', units: 16, activation: 'relu', kernelInitializer: init }),
      x,
    );
    const model = tf.model({
      inputs: x,
      outputs: apply(tf.layers.dense({ name: 'out', units: 2, kernelInitializer: init }), h),
    });
    // Labels depend on the first two features only.
    const n = 256;
    const xs = tf.randomNormal([n, 8], 0, 1, 'float32', 7);
    const labels = tf.tidy(() =>
      tf
        .cast(tf.greater(tf.add(xs.slice([0, 0], [n, 1]), xs.slice([0, 1], [n, 1])), 0), 'int32')
        .reshape([n]),
    );
    const ys = tf.oneHot(labels, 2).asType('float32');
    const reg = new GroupLassoFlops(graphFromModel(model), { threshold: 0.01 });
    const lambda = 0.02;
    const opt = tf.train.sgd(0.05);
    const lookup = weightTensors(model);
    let state = reg.evaluate(await readWeights(model, reg.weightNames));
    const first = reg.layerAlive(state.alive).alive['hidden'];
    for (let step = 0; step < 150; step++) {
      opt.minimize(() => {
        const logits = model.apply(xs, { training: true }) as tf.Tensor;
        const task = tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.logSoftmax(logits)), -1)));
        return tf.add(task, tf.mul(lambda, reg.lossTensor(lookup, state.alive))) as tf.Scalar;
      });
      if (step % 10 === 9) state = reg.evaluate(await readWeights(model, reg.weightNames));
    }
    state = reg.evaluate(await readWeights(model, reg.weightNames));
    const alive = reg.layerAlive(state.alive).alive['hidden'];
    const acc = tf.tidy(() =>
      tf.mean(tf.cast(tf.equal(tf.argMax(model.predict(xs) as tf.Tensor, -1), labels), 'float32')),
    );
    expect(first).toBe(16);
    expect(alive).toBeLessThan(12);
    expect(alive).toBeGreaterThanOrEqual(1);
    expect((await acc.data())[0]).toBeGreaterThan(0.9);
    expect(state.cost).toBeLessThan(reg.initialCost);
  });
});
