/**
 * Broadcast (core.async `mult`/`tap`): every value of a source channel goes to every
 * subscriber, each with its own channel and its own pace.
 */
import { Channel } from '../channel/channel';
import { select } from '../select/select';
import { tasklet } from '../core/tasklet';
import { show } from '../base/validate';
import { checkChannel, checkToolboxOptions, isStop, type ToolboxOptions } from './common';
import { deliverAll, failAll, Subscribers } from './fanout';
import { OwnedChannel } from './owned';

/**
 * Options of {@link Broadcast.tap}.
 *
 * @example
 * ```ts
 * const logger = wire.tap({ capacity: 100, name: 'logger' });
 * ```
 */
export interface TapOptions {
  /** Values this subscriber may fall behind by before it slows the source (default `0`). */
  capacity?: number | undefined;
  /** The subscriber channel's name (default `broadcast(<source's name>) tap <n>`). */
  name?: string | undefined;
}

/**
 * Takes each value of `source` and hands it to every subscriber (tap) before taking the
 * next: a subscriber's channel capacity is how far it may fall behind; the slowest full
 * one holds the source back (per-subscriber backpressure). While nobody is subscribed it
 * waits rather than drop values (it takes at most one, kept for the next subscriber), and
 * still ends when the source closes. When the source closes, every tap closes; a source
 * error is forwarded to every tap, then they close; `signal` stops it and closes the taps.
 * A subscriber leaves with `untap(ch)`, by closing its channel, or by leaving the last
 * `for await` over its channel early (`break`): the tap is then closed and unsubscribed
 * at once, and the broadcast goes on for the others (and for later subscribers).
 *
 * @example
 * ```ts
 * const headlines = new Channel<string>({ name: 'headlines' });
 * const news = new Broadcast(headlines);
 * const a = news.tap({ capacity: 10 }), b = news.tap({ capacity: 10 });
 * await headlines.sendSequence(['rain', 'sun']);
 * headlines.close(); // and so every tap closes once drained
 * const all = async (ch: Channel<string>) => { const got: string[] = []; for await (const h of ch) got.push(h); return got; };
 * console.log(await all(a), await all(b)); // [ 'rain', 'sun' ] [ 'rain', 'sun' ]
 * ```
 */
export class Broadcast<T> {
  private readonly subs = new Subscribers<T>();
  private readonly label: string;
  private done = false;
  private taps = 0;

  constructor(
    /** The channel whose values go to every subscriber. */
    readonly source: Channel<T>,
    options?: Omit<ToolboxOptions, 'capacity'>,
  ) {
    checkChannel('new Broadcast()', 'source', source);
    const { signal, name } = checkToolboxOptions('new Broadcast()', options);
    this.label = name ?? `broadcast(${source.name})`;
    tasklet(() => this.distribute(signal), { name: this.label })();
  }

  /**
   * A new subscriber channel: it receives every value the source gives from now on.
   * On a broadcast that has ended, the channel comes back closed.
   *
   * @example
   * ```ts
   * const mine = news.tap({ capacity: 5 });
   * ```
   */
  tap(options?: TapOptions): Channel<T> {
    const o = checkToolboxOptions('tap()', options);
    // Its reader leaving (the last `for await` over it ending early) or closing it unsubscribes it.
    const ch: Channel<T> = new OwnedChannel<T>({ capacity: o.capacity, name: o.name ?? `${this.label} tap ${++this.taps}` }, () => this.untap(ch));
    if (this.done) ch.close();
    else this.subs.add(ch);
    return ch;
  }

  /**
   * Unsubscribes `ch`: it gets no more values (and is not closed). Returns whether it was
   * subscribed.
   *
   * @example
   * ```ts
   * news.untap(mine);
   * ```
   */
  untap(ch: Channel<T>): boolean {
    if (!(ch instanceof Channel)) throw new TypeError(`untap(): ch must be a Channel, received ${show(ch)}`);
    return this.subs.delete(ch);
  }

  /** Subscribed channels now. */
  get size(): number {
    return this.subs.set.size;
  }

  private async distribute(signal: AbortSignal | undefined): Promise<void> {
    const subs = this.subs;
    try {
      for (;;) {
        let value: T;
        try {
          if (subs.set.size !== 0) value = await this.source.receive({ signal });
          else {
            // Nobody subscribed: wait for someone, or for the source's end. A value that
            // comes first is kept for the first subscriber rather than lost.
            const r = await select({ tap: subs.changed.receiveCase(), source: this.source.receiveCase() }, { signal, priority: true });
            if (r.key === 'tap') continue;
            if (r.done) return;
            value = r.value;
            while (subs.set.size === 0) await subs.changed.receive({ signal });
          }
        } catch (e) {
          if (isStop(e, signal)) return; // closed and drained, or aborted
          await failAll(e, subs.set, signal);
          return;
        }
        await deliverAll(value, subs.set, subs, signal);
      }
    } catch (e) {
      if (!isStop(e, signal)) throw e;
    } finally {
      this.done = true;
      for (const ch of subs.set) ch.close();
    }
  }
}

/**
 * core.async's name for a {@link Broadcast}: `mult(source).tap()`.
 *
 * @example
 * ```ts
 * const m = mult(fromIterable([1, 2, 3]));
 * const x = m.tap({ capacity: 3 }), y = m.tap({ capacity: 3 });
 * const all = async (ch: Channel<number>) => { const got: number[] = []; for await (const v of ch) got.push(v); return got; };
 * console.log(await all(x), await all(y)); // [ 1, 2, 3 ] [ 1, 2, 3 ]
 * ```
 */
export function mult<T>(source: Channel<T>, options?: Omit<ToolboxOptions, 'capacity'>): Broadcast<T> {
  return new Broadcast(source, options);
}
