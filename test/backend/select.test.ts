import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendNames, isBackendName, useBackend, wasmTrainingKernels } from '../../src/backend/index.js';

const root = path.resolve(__dirname, '../..');

describe('useBackend', () => {
  it('selects wasm by default in Node, idempotently, with our kernels registered', async () => {
    expect(await useBackend()).toBe('wasm');
    expect(await useBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    for (const k of wasmTrainingKernels) {
      expect(tf.getKernel(k.kernelName, 'wasm')?.kernelFunc, k.kernelName).toBe(k.kernelFunc);
    }
    const registered = tf.getKernelsForBackend('wasm').filter((k) => k.kernelName === 'Conv2DBackpropFilter');
    expect(registered).toHaveLength(1);
  });

  it('switches to cpu and back', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await useBackend('wasm')).toBe('wasm');
  });

  it('refuses unknown names and missing backend packages with one readable sentence', async () => {
    await expect(useBackend('gpu' as never)).rejects.toThrow(/unknown backend 'gpu'/);
    await expect(useBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node/);
    await expect(useBackend('webgl')).rejects.toThrow(/could not be initialised/);
    expect(tf.getBackend()).toBe('wasm');
    expect(backendNames.every(isBackendName)).toBe(true);
    expect(isBackendName('gpu')).toBe(false);
  });

  it('keeps the tfjs banner off stdout and stderr', () => {
    const script = [
      "import * as tf from '@tensorflow/tfjs';",
      "import { useBackend } from './src/backend/index.ts';",
      "await useBackend('cpu');",
      'tf.ones([2]).add(1).dataSync();',
      "await useBackend('wasm');",
      'tf.ones([2]).add(1).dataSync();',
      "console.log('done');",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toBe('done');
    expect(run.stderr).not.toMatch(/TensorFlow\.js in Node/i);
    expect(run.stderr.trim()).toBe('');
  });
});
