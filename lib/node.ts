/**
 * tasklets/node — the Node-only parts: channels from a `Readable` or an `EventEmitter`
 * event, and a channel piped into a `Writable`; tasklets that keep their creator's
 * `AsyncLocalStorage` context; the exit check and `node:diagnostics_channel` events.
 * Kept out of the core so `tasklets` itself stays browser-safe.
 *
 * @module tasklets/node
 */
import { once, type EventEmitter } from 'node:events';
import { finished, type Readable, type Writable } from 'node:stream';
// Public names come through './index' so the bundled node.d.cts refers to index.d.cts's
// Channel (one class, one type) instead of carrying a copy of it.
import { Channel, ChannelClosedError, type ChannelOptions, type ToolboxOptions } from './index';
import { checkToolboxOptions, linked } from './toolbox/common';
import { feed } from './toolbox/from';
import { OwnedChannel } from './toolbox/owned';
import { countSource } from './core/loop';
import { show } from './base/validate';

/**
 * A channel of the chunks of `readable`, in order, closing at its end. The stream is
 * read only as fast as the channel is received from (backpressure). A stream error is
 * forwarded (`sendThrow`) and ends the channel. The channel owns the stream: `signal`,
 * closing the channel, or its consumer leaving (the last `for await` over it ending
 * early) stops reading and destroys the stream at once; chunks already buffered in the
 * channel can still be received.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { fromReadable } from 'tasklets/node';
 * let n = 0;
 * for await (const chunk of fromReadable(createReadStream('data.txt'))) {
 *   if (++n === 3) break; // the file stream is destroyed here
 * }
 * ```
 *
 * @example
 * ```ts
 * import { Readable } from 'node:stream';
 * const stream = Readable.from(['a', 'b', 'c', 'd']);
 * for await (const chunk of fromReadable<string>(stream)) if (chunk === 'b') break;
 * console.log(stream.destroyed); // true
 * ```
 */
export function fromReadable<T = Buffer | string>(readable: Readable, options?: ToolboxOptions): Channel<T> {
  if (readable === null || typeof readable !== 'object' || typeof readable[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`fromReadable(): readable must be a Readable stream, received ${show(readable)}`);
  }
  const checked = checkToolboxOptions('fromReadable()', options);
  return feed(readable as AsyncIterable<T>, true, checked, 'fromReadable', () => readable.destroy());
}

/**
 * Options of {@link fromEvent}.
 *
 * @example
 * ```ts
 * fromEvent(socket, 'data', { closeOn: ['end', 'close'], capacity: 64, overflow: 'dropNewest' });
 * ```
 */
export interface FromEventOptions extends ToolboxOptions {
  /** Events that close the channel (default none); e.g. `['end', 'close']`. */
  closeOn?: readonly string[];
  /** An event whose argument is forwarded as an error, ending the channel (default `'error'`; `null`: none). */
  errorOn?: string | null;
  /** What a full buffer does with a new event: `'dropOldest'` (default) or `'dropNewest'`. */
  overflow?: 'dropOldest' | 'dropNewest';
}

/**
 * A channel of the first argument of every `event` emitted by `emitter`. An emitter
 * cannot wait, so the channel never blocks it: it buffers up to `capacity` (default
 * `Infinity`) and then drops by `overflow`. `closeOn` events close it; the `errorOn`
 * event's argument is forwarded as an error and closes it; `signal`, closing the
 * channel, or its consumer leaving (the last `for await` over it ending early) removes
 * every listener it added and closes it. While its listeners are on, `run()` counts the
 * emitter as a source that may still wake a receiver, not as a deadlock.
 *
 * @example
 * ```ts
 * import { EventEmitter } from 'node:events';
 * import { fromEvent } from 'tasklets/node';
 * const rl = new EventEmitter(); // a readline interface, say
 * const lines = fromEvent<string>(rl, 'line', { closeOn: ['close'] });
 * rl.emit('line', 'one');
 * rl.emit('line', 'two');
 * rl.emit('close');
 * for await (const line of lines) console.log(line); // one two
 * ```
 */
export function fromEvent<T = unknown>(emitter: EventEmitter, event: string | symbol, options?: FromEventOptions): Channel<T> {
  if (emitter === null || typeof emitter !== 'object' || typeof emitter.on !== 'function' || typeof emitter.off !== 'function') {
    throw new TypeError(`fromEvent(): emitter must be an EventEmitter, received ${show(emitter)}`);
  }
  if (typeof event !== 'string' && typeof event !== 'symbol') throw new TypeError(`fromEvent(): event must be a string or symbol, received ${show(event)}`);
  const o = checkToolboxOptions('fromEvent()', options === undefined ? { capacity: Infinity } : { capacity: Infinity, ...options }, ['closeOn', 'errorOn', 'overflow']);
  const closeOn = (o.closeOn ?? []) as string[];
  if (!Array.isArray(closeOn)) throw new TypeError(`fromEvent(): option "closeOn" must be an array of event names, received ${show(closeOn)}`);
  const errorOn = o.errorOn === undefined ? 'error' : (o.errorOn as string | null);
  const overflow = (o.overflow ?? 'dropOldest') as ChannelOptions['overflow'];
  const signal = o.signal;
  let open = false;
  // Leaving the last `for await` early, or closing the channel, removes the listeners.
  const ch = new OwnedChannel<T>({ capacity: o.capacity, name: o.name ?? `fromEvent(${String(event)})`, overflow: o.capacity === 0 ? 'block' : overflow }, () => stop());
  const onEvent = (value: T): void => {
    if (!ch.closing) ch.trySend(value);
  };
  const onError = (error: unknown): void => {
    if (!ch.closing) void ch.sendThrow(error).catch(() => {});
    stop();
  };
  const stop = (): void => {
    if (open) {
      open = false;
      countSource(-1);
    }
    emitter.off(event, onEvent);
    for (const e of closeOn) emitter.off(e, stop);
    if (errorOn !== null) emitter.off(errorOn, onError);
    signal?.removeEventListener('abort', stop);
    ch.close();
  };
  if (signal?.aborted) {
    ch.close();
    return ch;
  }
  emitter.on(event, onEvent);
  for (const e of closeOn) emitter.on(e, stop);
  if (errorOn !== null) emitter.on(errorOn, onError);
  signal?.addEventListener('abort', stop);
  // While its listeners are on, the emitter may still feed a parked receiver: run() does
  // not call that a deadlock, whatever drives the emitter (a host timer, say).
  open = true;
  countSource(1);
  return ch;
}

/**
 * Why {@link toWritable} stopped before `ch` was drained: the stream closed, errored or
 * was destroyed under it (an HTTP client hung up, say). `written` counts the values
 * handed to the stream; `unwritten` holds the value it had just received and could not
 * write (empty, or one value); `cause` is the stream's error (Node's
 * `ERR_STREAM_PREMATURE_CLOSE` for a stream destroyed without one). Values not yet
 * received stay in the channel.
 *
 * @example
 * ```ts
 * import { PassThrough } from 'node:stream';
 * const lines = new Channel<string>({ capacity: Infinity });
 * lines.trySend('one\n');
 * const res = new PassThrough(); // stands for an HTTP response
 * const streaming = toWritable(lines, res);
 * await sleep(10);
 * res.destroy(); // the client hangs up
 * try {
 *   await streaming;
 * } catch (e) {
 *   if (e instanceof WritableClosedError) console.log(`client left after ${e.written} line(s)`); // client left after 1 line(s)
 *   else throw e;
 * }
 * ```
 */
export class WritableClosedError extends Error {
  /** `'WritableClosedError'`: what stack traces and `util.inspect` print before the message. */
  override name = 'WritableClosedError';
  constructor(
    message: string,
    /** Values handed to the stream before it went away. */
    readonly written: number,
    /** The value received from the channel and not written (zero or one). */
    readonly unwritten: unknown[],
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/**
 * Writes every value received from `ch` to `writable`, in order, honouring its
 * backpressure (waits for `'drain'`), until `ch` is closed and drained; then ends the
 * stream (unless `end: false`) and resolves with the number of values written once it
 * has finished.
 *
 * It settles as soon as the stream goes away: closed, errored or destroyed before
 * `toWritable` ended it (watched with `stream.finished`), it rejects at once with a
 * {@link WritableClosedError} carrying how many values were written; the values not yet
 * received stay in `ch` for whoever drains or closes it. An error received from `ch`
 * rejects with that error and destroys the stream; `signal` rejects with its reason,
 * leaving unreceived values in `ch` and the stream open.
 *
 * @example
 * ```ts
 * import { fromIterable } from 'tasklets';
 * import { toWritable } from 'tasklets/node';
 * await toWritable(fromIterable(['one\n', 'two\n']), process.stdout, { end: false }); // stdout is not ours to end
 * ```
 */
export async function toWritable<T>(ch: Channel<T>, writable: Writable, options?: { signal?: AbortSignal | undefined; end?: boolean | undefined }): Promise<number> {
  if (!(ch instanceof Channel)) throw new TypeError(`toWritable(): ch must be a Channel, received ${show(ch)}`);
  if (writable === null || typeof writable !== 'object' || typeof writable.write !== 'function' || typeof writable.on !== 'function') {
    throw new TypeError(`toWritable(): writable must be a Writable stream, received ${show(writable)}`);
  }
  const { signal, end } = checkToolboxOptions('toWritable()', options, ['end']) as { signal: AbortSignal | undefined; end?: unknown };
  if (end !== undefined && typeof end !== 'boolean') throw new TypeError(`toWritable(): option "end" must be a boolean, received ${show(end)}`);
  if (signal?.aborted) throw signal.reason;
  let n = 0;
  // `stop` aborts whatever toWritable waits on (a receive, a 'drain') when the stream goes
  // away or `signal` aborts; `gone` says which.
  const stop = linked(signal);
  let gone = false;
  let cause: unknown;
  /** Set once toWritable itself ends or destroys the stream: its finishing is expected. */
  let ours = false;
  let finishedNow: (error: unknown) => void = () => {};
  const unwatch = finished(writable, { readable: false }, (error) => {
    if (ours) return finishedNow(error);
    gone = true;
    cause = error;
    stop.abort(cause);
  });
  const closedError = (unwritten: unknown[]): WritableClosedError =>
    new WritableClosedError(
      `toWritable(): the stream ${cause === undefined ? 'was ended by someone else' : 'went away'} after ${n} value${n === 1 ? '' : 's'} written from ${ch}${cause instanceof Error ? ` (${cause.message})` : ''}`,
      n,
      unwritten,
      cause,
    );
  try {
    for (;;) {
      let value: T;
      try {
        value = await ch.receive({ signal: stop.signal });
      } catch (e) {
        if (e instanceof ChannelClosedError) break;
        if (gone) throw closedError([]);
        if (signal?.aborted) throw signal.reason;
        ours = true;
        writable.destroy(); // an error from the channel ends the stream
        throw e;
      }
      if (gone) throw closedError([value]);
      n++;
      if (!writable.write(value)) {
        try {
          await once(writable, 'drain', { signal: stop.signal });
        } catch (e) {
          if (gone) throw closedError([]);
          if (signal?.aborted) throw signal.reason;
          throw e;
        }
      }
    }
    if (end === false) return n;
    await new Promise<void>((resolve, reject) => {
      if (gone) return reject(closedError([]));
      ours = true;
      finishedNow = (error) => {
        if (error === undefined) return resolve();
        cause = error; // it failed while flushing what was written
        reject(closedError([]));
      };
      writable.end();
    });
    return n;
  } finally {
    unwatch();
    stop.dispose();
  }
}

// Tasklet-local context (lib/node/context.ts): importing tasklets/node turns it on.
export { setAsyncContext } from './node/context';
// The exit check (lib/node/exit.ts): importing tasklets/node turns it on.
export { setExitCheck } from './node/exit';
// Schedule and channel events on node:diagnostics_channel (lib/node/diagnostics.ts).
export { diagnosticsChannels } from './node/diagnostics';
export type { ChannelMessage, ScheduleMessage } from './node/diagnostics';
