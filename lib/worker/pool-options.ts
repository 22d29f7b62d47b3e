/**
 * The options of `pool()` (lib/worker/pool.ts).
 */
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Options of `pool()`.
 *
 * @example
 * ```ts
 * import { pool, type PoolOptions } from 'tasklets/worker';
 * const options: PoolOptions = { workers: 2, concurrency: 1, prefetch: 1, signal: AbortSignal.timeout(60_000), name: 'hash' };
 * const hashes = pool<Uint8Array, string>('./hash-worker.js', options);
 * ```
 */
export interface PoolOptions {
  /** Worker threads to start (default `os.availableParallelism()`). */
  workers?: number;
  /** Jobs each worker handles at once, each in a tasklet of its own (default 1: right for CPU-bound jobs). */
  concurrency?: number;
  /**
   * Jobs sent to each worker ahead of a free handler (default 1), so that a worker need not
   * wait a round trip between two jobs. They count as taken: the pool keeps them, and gives
   * them back to `jobs` if the worker ends; 0 sends a job only to a free handler.
   */
  prefetch?: number;
  /** Capacity of `jobs` and of `results` (default 0: rendezvous). */
  capacity?: number;
  /** Aborts the whole pool: workers terminated, `jobs` and `results` closed, `done` rejects with the reason. */
  signal?: AbortSignal;
  /** Names the pool's channels (`"hash jobs"`, `"hash results"`) in messages and deadlock reports (default `"pool"`). */
  name?: string;
  /** Given to every worker's handler (`context.data`): structured-cloned once per worker. */
  data?: unknown;
  /** Passed on to `new Worker()` (`execArgv`, `resourceLimits`, `env`, `eval`, …); the pool sets `workerData` and `transferList`. */
  worker?: Omit<WorkerOptions, 'workerData' | 'transferList'>;
}

/** The options `pool()` knows; any other is refused. */
export const KNOWN = ['workers', 'concurrency', 'prefetch', 'capacity', 'signal', 'name', 'data', 'worker'];
