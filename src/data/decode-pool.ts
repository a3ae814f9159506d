/**
 * A pool of decode worker threads (node:worker_threads), so that images are decoded beside training on
 * other cores. `workers: 0` decodes in the calling thread instead (still asynchronously).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MorphnetError } from '../errors.js';
import { decodeBatch, type DecodeJob, type DecodeResult } from './decode-batch.js';

/** Default number of decode workers: half the cores, at least one. */
export function defaultDecodeWorkers(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/**
 * A new decode worker: the compiled `decode-worker.js` beside this module, or, when running from the
 * TypeScript sources (tests, tsx), `decode-worker.ts` loaded through tsx's loader.
 */
function startWorker(): Worker {
  const js = new URL('./decode-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js);
  // tsx's ESM API (the `tsx/esm/api` export's import entry), a dev dependency.
  const tsx = join(
    dirname(createRequire(import.meta.url).resolve('tsx/package.json')),
    'dist/esm/api/index.mjs',
  );
  const ts = new URL('./decode-worker.ts', import.meta.url).href;
  const api = JSON.stringify(pathToFileURL(tsx).href);
  const boot = `import(${api}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true });
}

interface Slot {
  worker: Worker;
  job: { id: number; resolve: (r: DecodeResult) => void; reject: (e: Error) => void } | null;
}

type Queued = { job: DecodeJob; resolve: (r: DecodeResult) => void; reject: (e: Error) => void };

/** Runs decode jobs on a fixed set of worker threads, first come first served. */
export class DecodePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private closed = false;
  /** Set when a worker died: later jobs fail with it instead of waiting forever. */
  private broken: Error | null = null;

  /** `workers` threads (default `defaultDecodeWorkers()`); 0 decodes in this thread. */
  constructor(readonly workers: number = defaultDecodeWorkers()) {
    if (!Number.isInteger(workers) || workers < 0) {
      throw new MorphnetError(`workers must be a whole number ≥ 0, got ${workers}.`);
    }
    for (let i = 0; i < workers; i++) {
      const worker = startWorker();
      worker.unref();
      const slot: Slot = { worker, job: null };
      worker.on('message', (message: DecodeResult | { id: number; error: string }) =>
        this.finish(slot, message),
      );
      worker.on('error', (error) => this.fail(slot, error));
      this.slots.push(slot);
    }
  }

  /** Decodes one job. */
  run(job: DecodeJob): Promise<DecodeResult> {
    if (this.closed) return Promise.reject(new MorphnetError('the decode pool was closed.'));
    if (this.broken) return Promise.reject(this.broken);
    if (this.workers === 0) return decodeBatch(job);
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const { job, resolve, reject } = this.queue.shift()!;
      slot.job = { id: job.id, resolve, reject };
      slot.worker.ref();
      slot.worker.postMessage(job);
    }
  }

  private finish(slot: Slot, message: DecodeResult | { id: number; error: string }): void {
    const job = slot.job;
    slot.job = null;
    slot.worker.unref();
    if (job) {
      if ('error' in message) job.reject(new Error(`decoding failed: ${message.error}`));
      else job.resolve(message);
    }
    this.pump();
  }

  private fail(slot: Slot, error: Error): void {
    this.broken = new Error(`a decode worker stopped: ${error.message}`);
    slot.job?.reject(this.broken);
    slot.job = null;
    for (const q of this.queue.splice(0)) q.reject(this.broken);
  }

  /** Stops the workers; pending jobs are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new MorphnetError('the decode pool was closed.');
    for (const q of this.queue.splice(0)) q.reject(error);
    for (const slot of this.slots) slot.job?.reject(error);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
