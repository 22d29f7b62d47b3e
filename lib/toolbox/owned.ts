/**
 * The output channel of an adapter or combinator that owns what feeds it (a stream, an
 * iterable, an emitter's listeners, a pump tasklet, a subscription).
 *
 * A plain channel may be shared, so a `break` out of a `for await` over it only ends
 * that iterator. An owned channel belongs to its readers together: when the last
 * `for await` over it leaves early (its iterator's `return()`: `break`, `return`, an
 * exception), or when anyone closes it, the channel closes and its owner releases the
 * source at once — the way a Node stream is destroyed when its `for await` breaks.
 * Values already in its buffer can still be received (close loses nothing).
 *
 * @internal
 */
import { Channel, type ChannelOptions } from '../channel/channel';

export class OwnedChannel<T> extends Channel<T> {
  /** `for await` iterators made and not yet left early. */
  private readers = 0;
  /** Releases the source; `null` once called, or once the owner finished by itself. */
  private release: (() => void) | null;

  constructor(options: ChannelOptions, release: () => void) {
    super(options);
    this.release = release;
  }

  override [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const it = super[Symbol.asyncIterator]();
    const leave = it.return!;
    let left = false;
    this.readers++;
    it.return = (value?: unknown) => {
      const done = leave(value);
      if (!left) {
        left = true;
        if (--this.readers === 0) this.leave();
      }
      return done;
    };
    return it;
  }

  /** Closes the channel, and releases the source unless the owner finished already. */
  override close(): void {
    super.close();
    this.leave();
  }

  /** @internal The owner ended by itself (its source is done): nothing is left to release. */
  _finished(): void {
    this.release = null;
  }

  private leave(): void {
    const release = this.release;
    if (release === null) return;
    this.release = null;
    super.close();
    release();
  }
}
