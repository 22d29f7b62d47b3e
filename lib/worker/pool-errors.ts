/**
 * The errors of a worker pool (lib/worker/pool.ts): a job whose handler threw, and a worker
 * thread that ended without finishing its jobs. Both name the worker and keep the cause.
 */

/**
 * Something went wrong in one worker of a pool: `worker` is its index in the pool (0 to
 * `workers - 1`), `threadId` its `worker_threads` id, and `cause` what happened there (an
 * error as copied across threads: its `name`, `message`, `stack`).
 *
 * @example
 * ```ts
 * import { pool, WorkerError } from 'tasklets/worker';
 * const squares = pool<number, number>('./square-worker.js', { workers: 2 });
 * try {
 *   await squares.results.receive();
 * } catch (e) {
 *   if (e instanceof WorkerError) console.log(`worker ${e.worker} (thread ${e.threadId}):`, e.cause);
 * }
 * ```
 */
export class WorkerError extends Error {
  /** `'WorkerError'`. */
  override name: string = 'WorkerError';
  /** The worker's index in its pool. */
  readonly worker: number;
  /** The worker's `threadId`. */
  readonly threadId: number;

  constructor(message: string, worker: number, threadId: number, cause: unknown) {
    super(message, { cause });
    this.worker = worker;
    this.threadId = threadId;
  }
}

/**
 * A job's handler threw (or returned a result that cannot be copied back): the receive on
 * `pool.results` that takes it throws this. The job itself is in `.job` (the caller's own
 * copy), the handler's error in `.cause`; the worker goes on with the next job.
 *
 * @example
 * ```ts
 * import { JobError, pool } from 'tasklets/worker';
 * const squares = pool<number, number>('./square-worker.js', { workers: 2 });
 * for (;;) {
 *   try {
 *     log(await squares.results.receive());
 *   } catch (e) {
 *     if (e instanceof JobError) await squares.jobs.send(e.job as number); // try it again
 *     else throw e;
 *   }
 * }
 * ```
 */
export class JobError extends WorkerError {
  override name = 'JobError';
  /** The job whose handler failed. */
  readonly job: unknown;

  constructor(worker: number, threadId: number, job: unknown, cause: unknown) {
    super(`job failed in worker ${worker} (thread ${threadId}): ${describe(cause)}`, worker, threadId, cause);
    this.job = job;
  }
}

/**
 * A worker thread ended before finishing its jobs: an uncaught error (in `.cause`), a
 * non-zero `exitCode`, `process.exit()` or `terminate()` from elsewhere, or an exit while the
 * pool still had jobs for it (a module that never called `work()`, or left it early). The jobs it had
 * taken and not finished went back to `pool.jobs`, first in line (`jobsGivenBack` says how
 * many), so another worker does them. The pool goes on with the workers it has left.
 *
 * @example
 * ```ts
 * import { WorkerCrashedError } from 'tasklets/worker';
 * const e = new WorkerCrashedError(1, 7, 1, 2, new Error('out of memory'));
 * console.log(e.message); // worker 1 (thread 7) crashed with exit code 1: Error: out of memory; 2 unfinished jobs went back to the jobs channel
 * ```
 */
export class WorkerCrashedError extends WorkerError {
  override name = 'WorkerCrashedError';
  /** The thread's exit code. */
  readonly exitCode: number;
  /** How many unfinished jobs went back to `pool.jobs`. */
  readonly jobsGivenBack: number;

  constructor(worker: number, threadId: number, exitCode: number, jobsGivenBack: number, cause: unknown) {
    const why = cause === undefined ? '' : `: ${describe(cause)}`;
    const back = jobsGivenBack === 1 ? '1 unfinished job went' : `${jobsGivenBack} unfinished jobs went`;
    super(`worker ${worker} (thread ${threadId}) crashed with exit code ${exitCode}${why}; ${back} back to the jobs channel`, worker, threadId, cause);
    this.exitCode = exitCode;
    this.jobsGivenBack = jobsGivenBack;
  }
}

function describe(e: unknown): string {
  if (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e)) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    return `${typeof name === 'string' ? name : 'Error'}: ${String(message)}`;
  }
  return String(e);
}
