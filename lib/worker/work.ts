/**
 * The worker's side of a pool (lib/worker/pool.ts): `work(handler)` in the module a pool
 * runs takes the jobs the pool sends this worker, calls `handler` on each in one of
 * `concurrency` tasklets, and sends each outcome back — the result, or the error the
 * handler threw. When the pool has no more jobs for it, `work` closes its end and resolves;
 * the thread then ends by itself unless the module holds it.
 */
import { workerData } from 'node:worker_threads';
import { ChannelClosedError } from '../base/errors';
import { show } from '../base/validate';
import { Channel } from '../channel/channel';
import { tasklet } from '../core/tasklet';
import { type Envelope, type Outcome, POOL_KEY, type PoolWorkerData } from './pool-protocol';
import { attach } from './remote';
import type { SharedChannel } from './share';

/** What a handler is told besides its job. */
export interface WorkContext<D = unknown> {
  /** This worker's index in its pool (0 to `workers - 1`). */
  readonly worker: number;
  /** The pool's `data` option, as copied to this worker. */
  readonly data: D;
}

/**
 * In a module started by `pool()`: handles the pool's jobs with `handler` until the pool
 * closes its jobs, then resolves. A handler's result goes to `pool.results`; an error it
 * throws reaches the caller as a `JobError` naming this worker, with the error as `cause`,
 * and the worker goes on. Throws if this thread was not started by `pool()`.
 *
 * @example
 * ```ts
 * // hash-worker.ts
 * import { createHash } from 'node:crypto';
 * import { work } from 'tasklets/worker';
 * await work((block: Uint8Array) => createHash('sha256').update(block).digest('hex'));
 * ```
 */
export async function work<J, R, D = unknown>(handler: (job: J, context: WorkContext<D>) => R | Promise<R>): Promise<void> {
  if (typeof handler !== 'function') throw new TypeError(`work(): handler must be a function, received ${show(handler)}`);
  const mine = (workerData as Record<string, unknown> | null | undefined)?.[POOL_KEY] as PoolWorkerData | undefined;
  if (mine === undefined) throw new Error('work(): this thread was not started by pool() (its workerData has no jobs channel)');
  const jobs = attach(mine.jobs as SharedChannel<Envelope<J>>);
  const outcomes = attach(mine.outcomes);
  const context: WorkContext<D> = { worker: mine.index, data: mine.data as D };

  // The reader keeps a receive waiting at the pool while the handlers work, so the next job
  // (the pool sends up to `concurrency + prefetch`) is here when a handler is free.
  const ready = new Channel<Envelope<J>>({ name: `pool worker ${mine.index} jobs here`, capacity: mine.concurrency + mine.prefetch });
  const reader = tasklet(
    async () => {
      // The next receive is asked for as soon as a job arrives, before a handler can start on
      // it: a handler that runs synchronously would otherwise hold the request back until it
      // has finished, and the worker would wait a round trip between two jobs.
      const ask = (): Promise<Envelope<J>> => {
        const p = jobs.receive();
        p.catch(() => {}); // awaited below; may settle while the reader waits on ready
        return p;
      };
      let next = ask();
      for (;;) {
        let envelope: Envelope<J>;
        try {
          envelope = await next;
        } catch (e) {
          if (e instanceof ChannelClosedError) break; // the pool has no more jobs for this worker
          throw e;
        }
        next = ask();
        await ready.send(envelope);
      }
      ready.close();
    },
    { name: `pool worker ${mine.index} reader` },
  )();
  const handle = tasklet(
    async () => {
      // An outcome is posted at once and its handler goes on to the next job: the pool sends
      // no more than `concurrency + prefetch` jobs, so no more outcomes are ever unanswered.
      const sending = new Set<Promise<void>>();
      for await (const { id, job } of ready) {
        let outcome: Outcome<unknown>;
        try {
          outcome = { id, ok: true, value: await handler(job, context) };
        } catch (error) {
          outcome = { id, ok: false, error };
        }
        const sent = outcomes.send(outcome).catch((e: unknown) => {
          // A result (or error) that cannot be copied back: the caller hears why instead.
          if (!(e instanceof TypeError)) throw e;
          return outcomes.send({ id, ok: false, error: e });
        });
        sending.add(sent);
        sent.then(
          () => sending.delete(sent),
          () => {}, // kept in the set: awaited below
        );
      }
      await Promise.all(sending);
    },
    { name: `pool worker ${mine.index}` },
  );
  await Promise.all([reader.join(), ...Array.from({ length: mine.concurrency }, () => handle().join())]);
  await outcomes.close();
}
