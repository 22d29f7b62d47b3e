/**
 * A ticker (Go's `time.Ticker`): a channel that delivers the time every `ms`.
 */
import { AfterChannel } from '../time/timers';
import { checkName, checkOptions, show, signalOf } from '../base/validate';

/**
 * The channel a {@link ticker} returns: every `ms` it holds the time of the latest
 * tick (capacity 1; a tick a slow receiver missed is replaced by the next). Like
 * `after`, its host timer runs only while someone is parked on it, so an unread
 * ticker costs nothing; `stop()` ends it and closes the channel.
 *
 * @example
 * ```ts
 * const t: Ticker = ticker(50);
 * const r = await select({ tick: t.receiveCase(), done: done.receiveCase() });
 * t.stop();
 * ```
 */
export class Ticker extends AfterChannel<number> {
  /** The `signal` option and this ticker's listener on it, removed when the ticker stops. */
  private signal: AbortSignal | undefined = undefined;
  private readonly onAbort = (): void => this.stop();

  /** @internal Use {@link ticker}. */
  constructor(ms: number, name: string) {
    super(ms, Date.now, name, ms);
  }

  /** @internal Stops when `signal` aborts; the listener goes when the ticker stops or closes. */
  _stopOn(signal: AbortSignal): void {
    if (signal.aborted) return this.stop();
    this.signal = signal;
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /**
   * Closes the channel: no more ticks (a tick already buffered can still be received),
   * and the ticker lets go of its `signal`. `stop()` does the same.
   *
   * @example
   * ```ts
   * const t = ticker(100);
   * t.close(); // as t.stop()
   * ```
   */
  override close(): void {
    super.close();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.signal = undefined;
  }

  /**
   * Stops the ticker: no more ticks; the channel closes (a tick already buffered can
   * still be received). Idempotent.
   *
   * @example
   * ```ts
   * const t = ticker(100);
   * await t.receive();
   * t.stop();
   * ```
   */
  stop(): void {
    this.stopTimer();
  }
}

/**
 * A channel that delivers `Date.now()` every `ms` (Go's `time.NewTicker`), dropping
 * ticks a slow receiver misses. A party waiting on it waits on a timer. Stop it with
 * `stop()`, `close()` or `signal`; stopped by any of them, it removes its listener from
 * `signal`. Leaving a `for await` over it early does not stop it (it may be shared),
 * and costs nothing: its timer runs only while someone waits on it.
 *
 * @example
 * ```ts
 * const tick = ticker(1000);
 * for (let i = 0; i < 3; i++) console.log(await tick.receive());
 * tick.stop();
 * ```
 */
export function ticker(ms: number, options?: { signal?: AbortSignal | undefined; name?: string | undefined }): Ticker {
  if (typeof ms !== 'number') throw new TypeError(`ticker(): ms must be a number of milliseconds, received ${show(ms)}`);
  if (!(ms > 0 && ms < Infinity)) throw new RangeError(`ticker(): ms must be a positive, finite number of milliseconds, received ${show(ms)}`);
  const o = checkOptions('ticker()', options, ['signal', 'name']);
  const name = checkName('ticker()', o?.name);
  const signal = o?.signal === undefined ? undefined : signalOf('ticker()', { signal: o.signal });
  const t = new Ticker(ms, name ?? `ticker(${ms}ms)`);
  if (signal !== undefined) t._stopOn(signal);
  return t;
}
