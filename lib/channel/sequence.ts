/**
 * `channel.sendSequence(items)`: each item of a sync or async iterable sent in turn, with
 * the count so far readable at any time as the promise's `sent` (the method's doc in
 * channel.ts gives the abort rules). Each item is an ordinary send, named
 * `sendSequence()` in its errors.
 */
import { show, signalOf } from '../base/validate';
import type { OperationOptions, SequencePromise } from './channel';

/** @internal What a sequence is sent on: a channel, or a bridge's end of one (lib/worker/remote.ts). */
export interface SequenceTarget<T> {
  _send(item: T, signal: AbortSignal | undefined, where: string): Promise<void>;
}

/** @internal The body of `Channel.prototype.sendSequence` (and `RemoteChannel`'s). */
export function sendSequence<T>(channel: SequenceTarget<T>, items: Iterable<T> | AsyncIterable<T>, options: OperationOptions | undefined): SequencePromise {
  const progress = { sent: 0 };
  const p = sequence(channel, items, options, progress);
  void Object.defineProperty(p, 'sent', { get: () => progress.sent, enumerable: true }); // returns p, awaited by the caller
  return p as SequencePromise;
}

/** The loop; `progress.sent` counts the items sent. */
async function sequence<T>(channel: SequenceTarget<T>, items: Iterable<T> | AsyncIterable<T>, options: OperationOptions | undefined, progress: { sent: number }): Promise<number> {
  const where = 'sendSequence()';
  const signal = signalOf(where, options);
  let async: boolean;
  if (items != null && typeof (items as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') async = true;
  else if (items != null && typeof (items as Iterable<T>)[Symbol.iterator] === 'function') async = false;
  else throw new TypeError(`${where}: items must be an iterable or async iterable, received ${show(items)}`);
  // Already aborted: no effect at all — nothing is taken from the iterable.
  if (signal !== undefined && signal.aborted) throw signal.reason;
  // Between items, an abort stops the loop before it takes the next one (and `for`
  // closes the iterable).
  if (async) {
    for await (const v of items as AsyncIterable<T>) {
      await channel._send(v, signal, where);
      progress.sent++;
      if (signal !== undefined && signal.aborted) throw signal.reason;
    }
  } else {
    for (const v of items as Iterable<T>) {
      await channel._send(v, signal, where);
      progress.sent++;
      if (signal !== undefined && signal.aborted) throw signal.reason;
    }
  }
  return progress.sent;
}
