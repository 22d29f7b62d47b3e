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
 * import { workerData } from 'node:worker_threads';
 * import { Channel, select } from 'tasklets';
 * import { attach, type SharedChannel } from 'tasklets/worker';
 * const work = attach<string>((workerData as { jobs: SharedChannel<string> }).jobs);
 * const quit = new Channel<void>({ name: 'quit' });
 * const r = await select({ job: work.receiveCase(), quit: quit.receiveCase() });
 * if (r.key === 'job' && !r.done) console.log('working on', r.value);
 * ```
 */
export class RemoteReceiveCase<T = unknown> implements RemoteCase<T, false> {
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
 * import { workerData } from 'node:worker_threads';
 * import { Channel, select } from 'tasklets';
 * import { attach, type SharedChannel } from 'tasklets/worker';
 * const results = attach<number>((workerData as { results: SharedChannel<number> }).results);
 * const quit = new Channel<void>({ name: 'quit' });
 * await select({ sent: results.sendCase(42), quit: quit.receiveCase() });
 * ```
 */
export class RemoteSendCase<T = unknown> implements RemoteCase<T, true> {
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

/** @internal `true` for a remote case (what `select()` hands to lib/worker/select.ts). */
export function isRemoteCase(c: unknown): c is RemoteReceiveCase | RemoteSendCase {
  try {
    return c instanceof RemoteReceiveCase || c instanceof RemoteSendCase;
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws is not a case (select() says so)
  }
}
