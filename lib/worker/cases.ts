/**
 * Select cases on a channel of another thread: `remote.receiveCase()` and
 * `remote.sendCase(value)`, used in `select()` with local cases (lib/worker/select.ts
 * carries such a select out). Inert until a select uses them, like local cases.
 */
import type { RemoteCase } from '../channel/case';
import type { RemoteChannel } from './remote';

/**
 * A receive from a `RemoteChannel`, for `select`. Make one with `remote.receiveCase()`.
 *
 * @example
 * ```ts
 * import { select } from 'tasklets';
 * const r = await select({ job: jobs.receiveCase(), quit: quit.receiveCase() }); // jobs: a RemoteChannel
 * ```
 */
export class RemoteReceiveCase<T = unknown> implements RemoteCase<T> {
  /** @internal */
  readonly _send = false;
  /** @internal */
  readonly _remote = true;
  /** Never present: carries `T` to the select's result. */
  declare readonly __value?: T;
  constructor(
    /** The channel to receive from. */
    readonly channel: RemoteChannel<T>,
  ) {}
}

/**
 * A send of `value` on a `RemoteChannel`, for `select`. Make one with `remote.sendCase(value)`.
 *
 * @example
 * ```ts
 * import { select } from 'tasklets';
 * const r = await select({ sent: results.sendCase(42), stop: stop.receiveCase() }); // results: a RemoteChannel
 * ```
 */
export class RemoteSendCase<T = unknown> implements RemoteCase<T> {
  /** @internal */
  readonly _send = true;
  /** @internal */
  readonly _remote = true;
  /** Never present. */
  declare readonly __value?: T;
  constructor(
    /** The channel to send on. */
    readonly channel: RemoteChannel<T>,
    /** The value sent if the select completes this case. */
    readonly value: T,
  ) {}
}

/** `true` for a remote case. */
export function isRemoteCase(c: unknown): c is RemoteReceiveCase | RemoteSendCase {
  return c instanceof RemoteReceiveCase || c instanceof RemoteSendCase;
}
