/**
 * Fan-out, shared by `Broadcast` and `PubSub`: deliver one value to every channel of a
 * set, each at its own pace (per-subscriber backpressure), by selecting over one send
 * case per channel until all have taken it.
 *
 * @internal
 */
import type { Channel } from '../channel/channel';
import { Channel as ChannelClass } from '../channel/channel';
import { type Cases, select } from '../select/select';

/**
 * A subscription list that can change while a value is being delivered: `changed`
 * wakes the deliverer, which then drops the subscribers that left.
 */
export class Subscribers<T> {
  readonly set = new Set<Channel<T>>();
  /** Holds at most one "something changed" token; never blocks a subscriber. */
  readonly changed = new ChannelClass<true>({ capacity: 1, overflow: 'dropNewest', name: 'subscribers changed' });

  add(ch: Channel<T>): void {
    this.set.add(ch);
    this.changed.trySend(true);
  }

  delete(ch: Channel<T>): boolean {
    const had = this.set.delete(ch);
    if (had) this.changed.trySend(true);
    return had;
  }
}

/**
 * Delivers `value` to each of `targets` still subscribed, in whatever order they are
 * ready; a target closed by its receiver is dropped from `subs`. Resolves when every
 * one has taken it (or left). Rejects with `signal.reason` when aborted.
 */
export async function deliverAll<T>(value: T, targets: Iterable<Channel<T>>, subs: Subscribers<T>, signal: AbortSignal | undefined): Promise<void> {
  const pending = new Set(targets);
  while (pending.size !== 0) {
    const list: Channel<T>[] = [];
    for (const ch of pending) {
      if (!subs.set.has(ch)) pending.delete(ch);
      else if (ch.closing) {
        pending.delete(ch);
        subs.delete(ch); // its receiver closed it: unsubscribed
      } else list.push(ch);
    }
    if (list.length === 0) return;
    const cases: Record<string, Cases[string]> = { changed: subs.changed.receiveCase() };
    for (let i = 0; i < list.length; i++) cases[i] = list[i].sendCase(value);
    const r = await select(cases as Cases, { signal });
    if (r.key !== 'changed') pending.delete(list[Number(r.key)]);
  }
}

/** Forwards `error` to each target in turn, then closes them all. */
export async function failAll(error: unknown, targets: Iterable<Channel<unknown>>, signal: AbortSignal | undefined): Promise<void> {
  for (const ch of targets) {
    if (ch.closing) continue;
    try {
      await ch.sendThrow(error, { signal });
    } catch {
      break; // aborted: stop forwarding, close below
    }
  }
}
