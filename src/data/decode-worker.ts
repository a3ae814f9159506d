/** The entry of a decode worker thread: decodes the jobs it is sent, one at a time, and posts the results. */
import { parentPort } from 'node:worker_threads';
import { decodeBatch, type DecodeJob } from './decode-batch.js';

const port = parentPort;
if (!port) throw new Error('decode-worker runs as a worker thread');
port.on('message', (job: DecodeJob) => {
  decodeBatch(job).then(
    (result) => port.postMessage(result, [result.xs.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ id: job.id, error: String((error as Error)?.stack ?? error) }),
  );
});
