/**
 * The hand-written rendezvous channel behind both floors: bare promises and nothing else.
 *
 * A receive that finds no parked sender is `new Promise(r => waiter = r)`; a send that
 * finds a parked receiver calls its resolver. A send that finds no receiver parks too,
 * so both floors are a correct rendezvous (a send completes only when its value is
 * taken), not just the fast path. The two floors differ only in what a send that found
 * its receiver gives back:
 *  - `offer` (the bare floor) gives back `undefined`, so the caller does not await at all;
 *  - `send` (the same-shape floor) gives back an already-resolved promise, which the
 *    caller awaits like any library's `await ch.send(v)`: one more microtask tick.
 *
 * Invariant: at most one of the two wait queues is non-empty. Each queue keeps its oldest
 * waiter in a field and allocates an array only for a second one, which none of the
 * workloads needs; so an idle channel is one small object.
 */

type Resolve<T> = (value: T) => void;

interface ParkedSender<T> {
  value: T;
  resolve: () => void;
}

const RESOLVED: Promise<void> = Promise.resolve();

export class FloorChannel<T> {
  /** The oldest parked receiver; later ones wait in `receivers`. */
  private receiver: Resolve<T> | undefined = undefined;
  private receivers: Resolve<T>[] | undefined = undefined;
  /** The oldest parked sender; later ones wait in `senders`. */
  private sender: ParkedSender<T> | undefined = undefined;
  private senders: ParkedSender<T>[] | undefined = undefined;

  /** Takes a parked sender's value, or parks until a send hands one over. */
  receive(): Promise<T> {
    const s = this.sender;
    if (s !== undefined) {
      this.sender = this.senders === undefined || this.senders.length === 0 ? undefined : this.senders.shift();
      s.resolve();
      return Promise.resolve(s.value);
    }
    return new Promise((resolve) => {
      if (this.receiver === undefined) this.receiver = resolve;
      else (this.receivers ??= []).push(resolve);
    });
  }

  /** Bare floor: hands `value` to a parked receiver and returns `undefined`, or parks. */
  offer(value: T): Promise<void> | undefined {
    const r = this.receiver;
    if (r !== undefined) {
      this.receiver = this.receivers === undefined || this.receivers.length === 0 ? undefined : this.receivers.shift();
      r(value);
      return undefined;
    }
    return new Promise((resolve) => {
      if (this.sender === undefined) this.sender = { value, resolve };
      else (this.senders ??= []).push({ value, resolve });
    });
  }

  /** Same-shape floor: as `offer`, but always a promise for the caller to await. */
  send(value: T): Promise<void> {
    return this.offer(value) ?? RESOLVED;
  }
}
