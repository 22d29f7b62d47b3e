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
