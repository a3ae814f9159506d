/**
 * Streaming image folders: batches decoded by worker threads equal the same folder held in memory and
 * batched by `splitSource` (order, augmentation, labels); an epoch resumed at batch k gives the same
 * batches k…; every image appears once per epoch in a new order; the decoding stays at most `prefetch`
 * batches ahead of the consumer (counted from the jobs the pool actually starts); a corrupt file is
 * reported once however many epochs read it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  imageFolderSources,
  loadImageFolder,
  splitSource,
  type BatchSource,
  type SourceBatch,
} from '../../src/data/index.js';
import { writeDigitFolder } from './images.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'morphnet-stream-'));
  await writeDigitFolder(root, 5);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect(source: BatchSource, epoch: number, from = 0): Promise<SourceBatch[]> {
  const out: SourceBatch[] = [];
  for await (const b of source.epoch(epoch, { from })) out.push(b);
  return out;
}

const options = { testFraction: 0.2, seed: 3, batchSize: 8, augment: ['flip', 'crop'], workers: 2 };

describe('streamed image folders', () => {
  it('equal the in-memory split batched alike: order, augmentation, labels, shapes', async () => {
    const streamed = await imageFolderSources(root, [24, 24, 3], options);
    const data = await loadImageFolder(root, [24, 24, 3], options);
    const memory = splitSource(data.train, options);
    try {
      expect(streamed.train.batchesPerEpoch).toBe(5);
      for (const epoch of [0, 1]) {
        const a = await collect(streamed.train, epoch);
        const b = await collect(memory, epoch);
        expect(a.map((x) => x.size)).toEqual([8, 8, 8, 8, 8]);
        a.forEach((batch, i) => {
          expect(Array.from(batch.labels!)).toEqual(Array.from(b[i].labels!));
          expect(batch.xsShape).toEqual([8, 24, 24, 3]);
          expect(batch.ysShape).toEqual([8, 10]);
          expect(Array.from(batch.ys)).toEqual(Array.from(b[i].ys));
          let d = 0;
          batch.xs.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i].xs[j]))));
          expect(d).toBeLessThan(1e-6);
        });
      }
      const test = await collect(streamed.test, 0);
      expect(test.map((x) => x.size)).toEqual([8, 2]);
      expect(Array.from(test[0].labels!)).toEqual(Array.from(data.test.labels.subarray(0, 8)));
      // Test batches are never augmented: the images as loaded.
      expect(test[0].xs).toEqual(data.test.images.subarray(0, 8 * 24 * 24 * 3));
    } finally {
      await streamed.close();
    }
  });

  it('resume at batch k of an epoch: the same batches as the uninterrupted epoch', async () => {
    const streamed = await imageFolderSources(root, [24, 24, 3], options);
    try {
      const whole = await collect(streamed.train, 2);
      const resumed = await collect(streamed.train, 2, 3);
      expect(resumed).toHaveLength(2);
      resumed.forEach((b, i) => {
        expect(Array.from(b.labels!)).toEqual(Array.from(whole[3 + i].labels!));
        expect(b.xs).toEqual(whole[3 + i].xs);
      });
    } finally {
      await streamed.close();
    }
  });

  it('every image once per epoch, in a new seeded order each epoch', async () => {
    const streamed = await imageFolderSources(root, [12, 12, 1], { ...options, augment: [] });
    try {
      const labelsOf = async (e: number) =>
        (await collect(streamed.train, e)).flatMap((b) => Array.from(b.labels!));
      const [e0, e1, again] = [await labelsOf(0), await labelsOf(1), await labelsOf(0)];
      expect([...e0].sort()).toEqual([...e1].sort());
      expect(e0.filter((l) => l === 7)).toHaveLength(4);
      expect(e1).not.toEqual(e0);
      expect(again).toEqual(e0);
    } finally {
      await streamed.close();
    }
  });

  it.each([1, 2])('keeps at most prefetch = %i batches decoding ahead of the consumer', async (prefetch) => {
    let started = 0;
    let delivered = 0;
    let worst = 0;
    const streamed = await imageFolderSources(root, [24, 24, 3], {
      ...options,
      batchSize: 4,
      prefetch,
      onJob: (event) => {
        if (event === 'start') started++;
        else delivered++;
        // Jobs started and not yet handed out: the decoded batches held by the source.
        worst = Math.max(worst, started - delivered);
      },
    });
    try {
      let consumed = 0;
      for await (const batch of streamed.train.epoch(0)) {
        consumed++;
        expect(batch.size).toBe(4);
        // A slow consumer: the decoders fill the window, then must wait for it.
        await new Promise((r) => setTimeout(r, 60));
        expect(started - consumed).toBeLessThanOrEqual(prefetch);
        if (consumed === 3) expect(started - consumed).toBe(prefetch);
      }
      expect(consumed).toBe(10);
      expect(worst).toBe(prefetch);
    } finally {
      await streamed.close();
    }
  });

  it('a corrupt file is skipped and reported once over several epochs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'morphnet-stream-bad-'));
    try {
      await writeDigitFolder(dir, 2);
      const png = (await import('./images.js')).pngBytes(new Uint8Array(27), 3, 3, 2);
      await writeFile(join(dir, '4', 'zz-cut.png'), png.subarray(0, 45));
      const notices: string[] = [];
      const streamed = await imageFolderSources(dir, [8, 8, 1], {
        testFraction: 0,
        batchSize: 7,
        workers: 1,
        onNotice: (l) => notices.push(l),
      });
      const sizes = [];
      for (const e of [0, 1, 2])
        sizes.push((await collect(streamed.train, e)).reduce((n, b) => n + b.size, 0));
      await streamed.close();
      expect(sizes).toEqual([20, 20, 20]);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^morphnet: skipping 4\/zz-cut\.png: unreadable PNG/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
