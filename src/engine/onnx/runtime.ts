/** Loads onnxruntime-node on demand (so the tfjs engine works where it is missing) and makes sessions. */
import { availableParallelism } from 'node:os';

/** The onnxruntime-node module. */
export type Ort = typeof import('onnxruntime-node');

let loading: Promise<Ort> | null = null;

/** Imports onnxruntime-node once; rejects when it cannot load on this platform. */
export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-node');
  return loading;
}

/** Default intra-op threads: every core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Creates an inference session with the settings the research note found fastest. */
export async function createSession(ort: Ort, bytes: Uint8Array, threads: number) {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

let blockPromise: Promise<number> | null = null;

/**
 * The channel block of onnxruntime's NCHWc kernels on this CPU (16 with AVX-512, 8 with AVX2), read from
 * the shape a `ReorderInput` gives 4 channels, then confirmed by a blocked conv matching a plain one;
 * 0 when the path is unavailable or does not check out.
 */
export function detectNchwcBlock(ort: Ort): Promise<number> {
  blockPromise ??= (async () => {
    try {
      const { GraphBuilder } = await import('./builder.js');
      const { conv } = await import('./layers/conv-common.js');
      const probe = new GraphBuilder();
      const x4 = probe.input('x', [1, 4, 1, 1]);
      probe.output('y', probe.node('ReorderInput', [x4], { channels_last: 0 }, 1, 'com.microsoft.nchwc')[0]);
      const s1 = await ort.InferenceSession.create(probe.toBytes(), { graphOptimizationLevel: 'disabled' });
      const r1 = await s1.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
      await s1.release();
      const block = r1['y'].dims[1];
      if (!(block >= 4 && block <= 64)) return 0;
      // Confirm: a blocked conv (2 blocks in, 1 out) equals the plain one.
      const b = new GraphBuilder();
      const cin = 2 * block;
      const x = b.input('x', [1, cin, 5, 5]);
      const w = b.input('w', [block, cin, 3, 3]);
      const attrs = {
        kernel_shape: [3, 3],
        strides: [1, 1],
        dilations: [1, 1],
        pads: [1, 1, 1, 1],
        group: 1,
      };
      b.output('plain', b.op('Conv', [x, w], attrs));
      b.nchwcBlock = block;
      b.output('blocked', conv(b, x, w, null, attrs, cin, block));
      const s2 = await ort.InferenceSession.create(b.toBytes(), { intraOpNumThreads: 1 });
      const rand = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
      const r2 = await s2.run({
        x: new ort.Tensor('float32', rand(cin * 25), [1, cin, 5, 5]),
        w: new ort.Tensor('float32', rand(block * cin * 9), [block, cin, 3, 3]),
      });
      await s2.release();
      const p = r2['plain'].data as Float32Array;
      const q = r2['blocked'].data as Float32Array;
      let diff = 0;
      for (let i = 0; i < p.length; i++) diff = Math.max(diff, Math.abs(p[i] - q[i]));
      return diff < 1e-3 ? block : 0;
    } catch {
      return 0;
    }
  })();
  return blockPromise;
}
