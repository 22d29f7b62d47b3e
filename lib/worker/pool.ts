/**
 * A pool of worker threads fed by channels: `pool(module, { workers })` starts the workers,
 * each running `module`, whose `work(handler)` (lib/worker/work.ts) takes jobs and sends
 * outcomes back. The caller sends on `pool.jobs` and receives on `pool.results`, two plain
 * channels of this thread, so `select`, `for await`, deadlines and backpressure are the
 * channel's own.
 *
 * Each worker has a dispatcher here: when the worker has a free slot, it takes the next job
 * from `jobs` and sends it to that worker through a channel shared with it; a collector
 * takes the worker's outcomes and sends them on `results` (a handler's error as a thrown
 * `JobError`). A job is *unfinished* from the moment its dispatcher took it until its outcome
 * is back; the dispatcher keeps it until then, so if the worker's thread ends first, its
 * unfinished jobs go back to `jobs`, first in line (`Channel._giveBack`), and another
 * worker does them — nothing is lost, and the caller hears of the crash as a thrown
 * `WorkerCrashedError` on `results`.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { asyncDisposeSymbol } from '../base/dispose';
import { checkCapacity, checkName, checkOptions, checkSignal, show } from '../base/validate';
import { Channel } from '../channel/channel';
import { JobError, WorkerCrashedError } from './pool-errors';
import { type Envelope, type Outcome, POOL_KEY, type PoolWorkerData } from './pool-protocol';
import { count, uncloneable } from './pool-checks';
import { KNOWN, type PoolOptions } from './pool-options';
import { share } from './share';

/** One worker and what the pool keeps for it. */
interface Slot<J> {
  index: number;
  thread: Worker;
  threadId: number;
  /** Jobs to this worker, shared with it. */
  in: Channel<Envelope<J>>;
  /** Outcomes from it, shared with it. */
  out: Channel<Outcome<unknown>>;
  /** Free slots of the worker: a dispatcher takes one before it takes a job. */
  free: Channel<true>;
  /** Jobs taken and not finished, by id. */
  unfinished: Map<number, J>;
  /** Stops this worker's dispatcher when its thread has ended. */
  stop: AbortController;
  /** The uncaught error the thread ended with. */
  error: unknown;
  /** Its dispatcher and collector have returned. */
  idle: Promise<unknown>;
}

/**
 * Starts a pool of `workers` threads, each running `module` (a path or a `file:` URL, as
 * `new Worker()` takes it), which calls `work(handler)` from `tasklets/worker`.
 *
 * @example
 * ```ts
 * import { tasklet } from 'tasklets';
 * import { pool } from 'tasklets/worker';
 * const blocks = [new Uint8Array(65536), new Uint8Array(65536)];
 * const hashes = pool<Uint8Array, string>(new URL('./hash-worker.js', import.meta.url), { workers: 2 });
 * tasklet(async () => {
 *   for (const block of blocks) await hashes.jobs.send(block);
 *   await hashes.close(); // no more jobs: the workers finish theirs and end
 * })();
 * // The loop ends once every worker has ended.
 * for await (const digest of hashes.results) log(digest);
 * ```
 */
export function pool<J, R>(module: string | URL, options?: PoolOptions): Pool<J, R> {
  return new Pool<J, R>(module, options);
}

/**
 * A running pool (made by {@link pool}): send jobs on `jobs`, receive results on `results`,
 * `close()` to finish. `results` closes once every worker has ended and every result has
 * been received.
 *
 * @example
 * ```ts
 * import { pool } from 'tasklets/worker';
 * const squares = pool<number, number>('./square-worker.js', { workers: 2 });
 * await squares.jobs.send(7);
 * log(await squares.results.receive());
 * await squares.close();
 * ```
 */
export class Pool<J, R> {
  /** Jobs for the workers: a send completes when a worker with a free slot has taken the job (or it is buffered). */
  readonly jobs: Channel<J>;
  /** Results, in the order they are finished; a job's error is thrown by the receive that takes it (`JobError`), and so is a crash (`WorkerCrashedError`). */
  readonly results: Channel<R>;
  /** The worker threads. */
  readonly threads: readonly Worker[];
  /**
   * Settles once every worker has ended and every result has been received: resolves, or
   * rejects with the first `WorkerCrashedError` or the abort's reason.
   */
  readonly done: Promise<void>;
  /**
   * Jobs no worker was left to do: when every worker has crashed, the jobs still in `jobs`
   * (given back by the crashed workers, or from senders parked there, whose sends then
   * complete) are moved here once `done` settles, so that none is lost. Empty otherwise;
   * an abort drops them instead.
   */
  readonly leftover: J[] = [];
  readonly #slots: Slot<J>[] = [];
  #ids = 0;
  #aborted = false;
  /** Aborted with the pool: a collector parked on `results` lets go. */
  readonly #halt = new AbortController();
  #failure: unknown = undefined;

  /** @internal Use {@link pool}. */
  constructor(module: string | URL, options?: PoolOptions) {
    const where = 'pool()';
    if (typeof module !== 'string' && !(module instanceof URL)) throw new TypeError(`${where}: module must be a path or a URL, received ${show(module)}`);
    const o = checkOptions(where, options, KNOWN) ?? {};
    const workers = count(where, 'workers', o.workers, availableParallelism());
    const concurrency = count(where, 'concurrency', o.concurrency, 1);
    const prefetch = count(where, 'prefetch', o.prefetch, 1, 0);
    const capacity = checkCapacity(where, o.capacity ?? 0);
    const signal = checkSignal(where, o.signal);
    const name = checkName(where, o.name) ?? 'pool';
    const workerOptions = o.worker as PoolOptions['worker'];
    if (workerOptions !== undefined && (workerOptions === null || typeof workerOptions !== 'object')) {
      throw new TypeError(`${where}: option "worker" must be an object of Worker options, received ${show(workerOptions)}`);
    }
    this.jobs = new Channel<J>({ name: `${name} jobs`, capacity });
    this.results = new Channel<R>({ name: `${name} results`, capacity });

    for (let index = 0; index < workers; index++) {
      const toWorker = new Channel<Envelope<J>>({ name: `${name} worker ${index} jobs` });
      const fromWorker = new Channel<Outcome<unknown>>({ name: `${name} worker ${index} results` });
      const free = new Channel<true>({ name: `${name} worker ${index} free slots`, capacity: concurrency + prefetch });
      for (let i = 0; i < concurrency + prefetch; i++) free.trySend(true);
      const jobs = share(toWorker);
      const outcomes = share(fromWorker);
      const data: PoolWorkerData = { jobs, outcomes, index, concurrency, prefetch, data: o.data };
      let thread: Worker;
      try {
        thread = new Worker(module, { ...workerOptions, workerData: { [POOL_KEY]: data }, transferList: [jobs.port, outcomes.port] });
      } catch (e) {
        // Bad Worker options: nothing is left running (the shared ports closed, the workers started terminated).
        jobs.port.close();
        outcomes.port.close();
        for (const started of this.#slots) void started.thread.terminate();
        throw e;
      }
      const slot: Slot<J> = {
        index,
        thread,
        threadId: thread.threadId,
        in: toWorker,
        out: fromWorker,
        free,
        unfinished: new Map(),
        stop: new AbortController(),
        error: undefined,
        idle: Promise.resolve(),
      };
      // Watched from the start: a worker may fail before anyone asks.
      thread.once('error', (e) => (slot.error = e));
      const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
      slot.idle = Promise.all([this.#dispatch(slot), this.#collect(slot), exited.then((code) => this.#ended(slot, code))]);
      this.#slots.push(slot);
    }
    this.threads = this.#slots.map((s) => s.thread);
    this.done = Promise.all(this.#slots.map((s) => s.idle)).then(() => {
      this.results.close();
      this.jobs.close(); // no worker is left to take a job
      // Every worker crashed with jobs left (given back, or senders parked): kept in `leftover`, senders let go.
      for (let r = this.jobs.tryReceive(); r.ok; r = this.jobs.tryReceive()) this.leftover.push(r.value);
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- an abort's reason is whatever the signal was aborted with
      if (this.#failure !== undefined) throw this.#failure;
    });
    this.done.catch(() => {}); // the failure was also thrown on `results`; `done` reports it only to who asks
    if (signal !== undefined) {
      const abort = (): void => this.#abort(signal.reason);
      if (signal.aborted) abort();
      else {
        signal.addEventListener('abort', abort, { once: true });
        void this.done.then(
          () => signal.removeEventListener('abort', abort),
          () => signal.removeEventListener('abort', abort),
        );
      }
    }
  }

  /** Workers in the pool. */
  get size(): number {
    return this.#slots.length;
  }

  /**
   * Graceful shutdown: closes `jobs` (jobs sent before are still done), lets every worker
   * finish and end, and settles as `done` does — so the results must still be received.
   *
   * @example
   * ```ts
   * import { pool } from 'tasklets/worker';
   * const squares = pool<number, number>('./square-worker.js');
   * for (const n of [1, 2, 3]) await squares.jobs.send(n);
   * await squares.close(); // while another tasklet receives squares.results
   * ```
   */
  close(): Promise<void> {
    this.jobs.close();
    return this.done;
  }

  /**
   * Ends the pool now: workers terminated, unfinished jobs dropped, `jobs` closed, and
   * `reason` thrown to a receiver of `results` before it closes; `done` rejects with it.
   * The pool's `signal` does the same.
   *
   * @example
   * ```ts
   * import { pool } from 'tasklets/worker';
   * const squares = pool<number, number>('./square-worker.js');
   * await squares.terminate(new Error('no longer needed')).catch(() => {});
   * ```
   */
  terminate(reason: unknown = new Error('pool terminated')): Promise<void> {
    this.#abort(reason);
    return this.done;
  }

  /**
   * `await using p = pool(...)`: `close()` at the end of the block.
   *
   * @example
   * ```ts
   * import { pool } from 'tasklets/worker';
   * {
   *   await using squares = pool<number, number>('./square-worker.js');
   *   await squares.jobs.send(3);
   * } // squares.close() here, awaited
   * ```
   */
  [asyncDisposeSymbol](): Promise<void> {
    return this.close();
  }

  /**
   * `Pool "name" (2 workers)`.
   *
   * @example
   * ```ts
   * import { pool } from 'tasklets/worker';
   * const squares = pool<number, number>('./square-worker.js', { workers: 2 });
   * // Prints Pool "pool" (2 workers)
   * log(`${squares}`);
   * ```
   */
  toString(): string {
    return `Pool ${JSON.stringify(this.jobs.name?.replace(/ jobs$/, ''))} (${this.size} workers)`;
  }

  /** Takes a job for `slot`'s worker whenever it has a free slot, until `jobs` ends or the worker does. */
  async #dispatch(slot: Slot<J>): Promise<void> {
    const signal = slot.stop.signal;
    try {
      for (;;) {
        await slot.free.receive({ signal });
        const next = await this.jobs._next(signal);
        if (next.done === true) break;
        const job = next.value;
        if (signal.aborted) {
          // The worker ended between the take and now, after its jobs were given back: this one too.
          if (!this.#aborted) this.jobs._giveBack(job);
          return;
        }
        const id = ++this.#ids;
        slot.unfinished.set(id, job);
        const problem = uncloneable(job);
        if (problem !== undefined) {
          slot.unfinished.delete(id);
          slot.free.trySend(true);
          await this.results.sendThrow(new JobError(slot.index, slot.threadId, job, problem), { signal: this.#halt.signal });
          continue;
        }
        await slot.in.send({ id, job }, { signal });
      }
      slot.in.close();
    } catch (e) {
      if (signal.aborted) return; // the worker has ended: #ended gives its jobs back
      if (this.#aborted) return;
      await this.results.sendThrow(e).catch(() => {}); // an error sent on jobs with sendThrow
    }
  }

  /** Passes `slot`'s outcomes on to `results` until the worker closes its end or ends. */
  async #collect(slot: Slot<J>): Promise<void> {
    for (;;) {
      const next = await slot.out._next(undefined);
      if (next.done === true) return;
      const o = next.value;
      const job = slot.unfinished.get(o.id) as J;
      slot.unfinished.delete(o.id);
      slot.free.trySend(true);
      try {
        const signal = this.#halt.signal;
        if (o.ok) await this.results.send(o.value as R, { signal });
        else await this.results.sendThrow(new JobError(slot.index, slot.threadId, job, o.error), { signal });
      } catch {
        return; // the pool was aborted
      }
    }
  }

  /** `slot`'s thread has ended with `code`: a crash gives its unfinished jobs back and is reported. */
  #ended(slot: Slot<J>, code: number): void {
    const finished = slot.out.closing; // work() returned: the pool had no more jobs for it
    slot.stop.abort();
    slot.out.close();
    slot.in.close();
    if (this.#aborted) return;
    if (code === 0 && finished && slot.error === undefined && slot.unfinished.size === 0) return;
    const back = [...slot.unfinished.values()];
    slot.unfinished.clear();
    for (let i = back.length - 1; i >= 0; i--) this.jobs._giveBack(back[i]); // the oldest ends up first
    const crash = new WorkerCrashedError(slot.index, slot.threadId, code, back.length, slot.error);
    this.#failure ??= crash;
    void this.results.sendThrow(crash).catch(() => {});
  }

  #abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#failure ??= reason;
    this.#halt.abort(reason);
    for (const slot of this.#slots) {
      slot.stop.abort();
      void slot.thread.terminate();
    }
    this.jobs.close();
    // Senders parked on jobs would wait for ever: their jobs are dropped, like the unfinished ones.
    for (let r = this.jobs.tryReceive(); r.ok; r = this.jobs.tryReceive());
    void this.results.sendThrow(reason).catch(() => {});
  }
}
