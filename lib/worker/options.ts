/**
 * The options of a `RemoteChannel`'s operations (lib/worker/remote.ts), and how it keeps an
 * operation in progress.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Tasklet } from '../core/tasklet';

/** Options of a remote operation. */
export interface RemoteOperationOptions {
  /**
   * Aborts the operation. Across threads an abort takes a round trip: if a partner
   * completed the operation first, it completed — a send was received, a receive
   * resolves with its value — and the abort has no effect.
   */
  signal?: AbortSignal | undefined;
}

/** Options of a remote send. */
export interface RemoteSendOptions extends RemoteOperationOptions {
  /**
   * Objects to move to the owner's thread instead of copying (`ArrayBuffer`s, ports), as
   * `postMessage`'s transfer list. They are detached here at once, so a send that is then
   * aborted or fails cannot hand them back.
   */
  transfer?: readonly (ArrayBuffer | MessagePort)[] | undefined;
}

/** @internal An operation waiting for its reply. */
export interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  /** A send's value, for the error that hands it back. */
  value: unknown;
  /** `'send'` or `'receive'`: how a failure reads. */
  what: 'send' | 'receive' | 'close';
  /** The iterator's receive: end-of-channel resolves `{ done: true }`. */
  iterate: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Who asked: the tasklet in flight, `undefined` for plain code, `null` when not known cheaply (a tasklet may have come back from outside). */
  by: Tasklet | undefined | null;
}
