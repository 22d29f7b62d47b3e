/**
 * A first-in, first-out queue on a growable ring buffer: `push` and `shift` are
 * O(1) and allocate nothing once the ring has grown to its working size. Used for
 * the run queue and for channel buffers.
 *
 * @internal
 */
export class Queue<T> {
  /** The ring; its length is always a power of two. */
  private ring: (T | undefined)[] = new Array(8);
  /** Index of the oldest item. */
  private head = 0;
  /** Number of items held. */
  length = 0;

  push(item: T): void {
    if (this.length === this.ring.length) this.grow();
    this.ring[(this.head + this.length) & (this.ring.length - 1)] = item;
    this.length++;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const ring = this.ring;
    const item = ring[this.head];
    ring[this.head] = undefined;
    this.head = (this.head + 1) & (ring.length - 1);
    this.length--;
    return item;
  }

  /** Puts `item` before the oldest one (lib/channel/channel.ts's `_giveBack`: a value that must be received next). */
  unshift(item: T): void {
    if (this.length === this.ring.length) this.grow();
    this.head = (this.head - 1) & (this.ring.length - 1);
    this.ring[this.head] = item;
    this.length++;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.length; i++) yield this.ring[(this.head + i) & (this.ring.length - 1)] as T;
  }

  private grow(): void {
    const old = this.ring;
    const ring: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.length; i++) ring[i] = old[(this.head + i) & (old.length - 1)];
    this.ring = ring;
    this.head = 0;
  }
}
