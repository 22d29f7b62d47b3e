/**
 * Cases for `select`: a channel and a direction (and, to send, the value). A case is
 * inert — it does nothing until a select commits to it — so it can be built ahead and
 * used in any number of selects.
 */
import type { Channel } from './channel';

/**
 * A receive from `channel`, for `select`. Make one with `channel.receiveCase()`.
 *
 * @example
 * ```ts
 * const r = await select({ job: jobs.receiveCase() });
 * if (!r.done) handle(r.value);
 * ```
 */
export class ReceiveCase<T = unknown> {
  /** @internal Tells the two kinds apart without `instanceof` in the hot path. */
  readonly _send = false;
  constructor(
    /** The channel to receive from. */
    readonly channel: Channel<T>,
  ) {}
}

/**
 * A send of `value` on `channel`, for `select`. Make one with `channel.sendCase(value)`.
 *
 * @example
 * ```ts
 * const r = await select({ sent: out.sendCase(42), stop: stop.receiveCase() });
 * ```
 */
export class SendCase<T = unknown> {
  /** @internal */
  readonly _send = true;
  constructor(
    /** The channel to send on. */
    readonly channel: Channel<T>,
    /** The value sent if a select commits to this case. */
    readonly value: T,
  ) {}
}

/**
 * A case of a `select`.
 *
 * @example
 * ```ts
 * const cases: Record<string, Case<number>> = { a: a.receiveCase(), b: b.sendCase(1) };
 * ```
 */
export type Case<T = any> = ReceiveCase<T> | SendCase<T>;

/**
 * A case on a channel of another thread — `RemoteChannel.receiveCase()` or `sendCase(value)`
 * of `tasklets/worker` — as `select` sees it: `select` takes it alongside local cases
 * (`trySelect` does not: it cannot be answered without waiting). `__value` is never present;
 * it carries the channel's type `T` to the select's result; `Sends` tells the two sides apart.
 *
 * @example
 * ```ts
 * import { workerData } from 'node:worker_threads';
 * import type { RemoteCase } from 'tasklets';
 * import { attach, type SharedChannel } from 'tasklets/worker';
 * const work = attach<string>((workerData as { jobs: SharedChannel<string> }).jobs);
 * const c: RemoteCase<string> = work.receiveCase();
 * ```
 */
export interface RemoteCase<T = unknown, Sends extends boolean = boolean> {
  /** `true` for a send case, `false` for a receive case. */
  readonly _send: Sends;
  /** Marks a case of another thread's channel. */
  readonly _remote: true;
  /** Never present: carries `T`. */
  readonly __value?: T;
}
