/**
 * What a pool (lib/worker/pool.ts) hands each of its workers and what travels on the two
 * channels between them; `work()` (lib/worker/work.ts) reads it in the worker.
 *
 * @internal
 */
import type { SharedChannel } from './share';

/** The key of a pool's part of `workerData`. */
export const POOL_KEY = '__taskletsPool';

/** A job on its way to a worker: `id` names it until its outcome comes back. */
export interface Envelope<J> {
  id: number;
  job: J;
}

/** What became of job `id`: its result, or the handler's error. */
export type Outcome<R> = { id: number; ok: true; value: R } | { id: number; ok: false; error: unknown };

/** A pool's part of a worker's `workerData`. */
export interface PoolWorkerData {
  /** This worker's jobs: at most `concurrency + prefetch` unfinished at a time. */
  jobs: SharedChannel<Envelope<unknown>>;
  /** Outcomes back to the pool; the worker closes it when it has finished. */
  outcomes: SharedChannel<Outcome<unknown>>;
  /** The worker's index in the pool. */
  index: number;
  /** Jobs this worker handles at once (its tasklets). */
  concurrency: number;
  /** Jobs sent to it ahead, waiting for a free handler. */
  prefetch: number;
  /** The pool's `data` option. */
  data: unknown;
}
