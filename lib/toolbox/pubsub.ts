/**
 * Publish/subscribe by topic (core.async `pub`/`sub`): each value of a source goes to
 * the subscribers of its topic.
 */
import { Channel } from '../channel/channel';
import { tasklet } from '../core/tasklet';
import { show } from '../base/validate';
import { checkChannel, checkFunction, checkToolboxOptions, isStop, type ToolboxOptions } from './common';
import { deliverAll, failAll, Subscribers } from './fanout';
import { OwnedChannel } from './owned';
import type { TapOptions } from './broadcast';

/**
 * Routes each value of `source` to the subscribers of its topic, `topicOf(value)`,
 * with per-subscriber backpressure as in `Broadcast`. A value whose topic has no
 * subscriber is dropped (core.async `pub`): one idle topic never holds the others back.
 * When the source closes, every subscriber channel closes; an error — from the source
 * or thrown by `topicOf` — is forwarded to every subscriber, then they close; `signal`
 * stops it. A subscriber that leaves the last `for await` over its channel early
 * (`break`), or closes it, is unsubscribed at once and its channel closed; the others
 * go on.
 *
 * @example
 * ```ts
 * const events = new Channel<{ type: string; x: number }>({ capacity: Infinity });
 * const bus = new PubSub(events, (e) => e.type);
 * const clicks = bus.subscribe('click', { capacity: 10 });
 * await events.sendSequence([{ type: 'click', x: 1 }, { type: 'key', x: 2 }, { type: 'click', x: 3 }]);
 * events.close();
 * for await (const c of clicks) console.log(c.x); // 1 3 — no one subscribes to 'key': dropped
 * ```
 */
export class PubSub<T, K = string> {
  private readonly topics = new Map<K, Subscribers<T>>();
  /** Every subscriber of every topic, for close and errors; `changed` wakes a delivery. */
  private readonly all = new Subscribers<T>();
  private readonly label: string;
  private done = false;

  constructor(
    /** The channel whose values are routed to their topic's subscribers. */
    readonly source: Channel<T>,
    private readonly topicOf: (value: T) => K,
    options?: Omit<ToolboxOptions, 'capacity'>,
  ) {
    checkChannel('new PubSub()', 'source', source);
    checkFunction('new PubSub()', 'topicOf', topicOf);
    const { signal, name } = checkToolboxOptions('new PubSub()', options);
    this.label = name ?? `pubsub(${source.name})`;
    tasklet(() => this.route(signal), { name: this.label })();
  }

  /**
   * A new channel receiving the values of `topic` from now on; closed at once if the
   * pubsub has ended.
   *
   * @example
   * ```ts
   * const errors = bus.subscribe('error', { capacity: 100 });
   * ```
   */
  subscribe(topic: K, options?: TapOptions): Channel<T> {
    const o = checkToolboxOptions('subscribe()', options);
    // Its reader leaving (the last `for await` over it ending early) or closing it unsubscribes it.
    const ch: Channel<T> = new OwnedChannel<T>({ capacity: o.capacity, name: o.name ?? `${this.label} topic ${String(topic)}` }, () => this.unsubscribe(topic, ch));
    if (this.done) {
      ch.close();
      return ch;
    }
    let subs = this.topics.get(topic);
    if (subs === undefined) this.topics.set(topic, (subs = new Subscribers<T>()));
    subs.add(ch);
    this.all.add(ch);
    return ch;
  }

  /**
   * Stops sending `topic`'s values to `ch` (which is not closed). Returns whether it was subscribed.
   *
   * @example
   * ```ts
   * bus.unsubscribe('click', clicks);
   * ```
   */
  unsubscribe(topic: K, ch: Channel<T>): boolean {
    if (!(ch instanceof Channel)) throw new TypeError(`unsubscribe(): ch must be a Channel, received ${show(ch)}`);
    const subs = this.topics.get(topic);
    if (subs === undefined || !subs.delete(ch)) return false;
    if (subs.set.size === 0) this.topics.delete(topic);
    this.all.delete(ch);
    return true;
  }

  private async route(signal: AbortSignal | undefined): Promise<void> {
    try {
      for (;;) {
        let value: T;
        let topic: K;
        try {
          value = await this.source.receive({ signal });
          topic = this.topicOf(value);
        } catch (e) {
          if (isStop(e, signal)) return;
          await failAll(e, this.all.set, signal);
          return;
        }
        const subs = this.topics.get(topic);
        if (subs !== undefined) await deliverAll(value, subs.set, subs, signal);
      }
    } catch (e) {
      if (!isStop(e, signal)) throw e;
    } finally {
      this.done = true;
      for (const ch of this.all.set) ch.close();
    }
  }
}

/**
 * core.async's name: `pub(source, topicOf)` is `new PubSub(source, topicOf)`.
 *
 * @example
 * ```ts
 * const orders = fromIterable([{ id: 1, region: 'eu' }, { id: 2, region: 'us' }, { id: 3, region: 'eu' }]);
 * const p = pub(orders, (o) => o.region);
 * const eu = p.subscribe('eu', { capacity: 10 });
 * for await (const o of eu) console.log(o.id); // 1 3
 * ```
 */
export function pub<T, K = string>(source: Channel<T>, topicOf: (value: T) => K, options?: Omit<ToolboxOptions, 'capacity'>): PubSub<T, K> {
  return new PubSub(source, topicOf, options);
}
