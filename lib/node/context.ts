/**
 * The Node-only half of tasklet-local context, re-exported by the `tasklets/node` entry
 * (lib/node.ts): with it on, every tasklet starts in the `AsyncLocalStorage` context of
 * the code that created it, and Node carries that context across each of its awaits.
 * So a store set with `als.run(store, () => tasklet(fn)())` — a request id, a logger's
 * or a tracer's context — is what that tasklet and the tasklets it creates see, and
 * never the context of whichever tasklet the loop happened to run before it.
 */
import { AsyncResource } from 'node:async_hooks';
import { type ContextRunner, setContextCapture } from '../host/context';

/**
 * A resource whose scope is the creator's context. Made directly rather than through
 * `AsyncLocalStorage.snapshot()`, which costs some 15 µs a call on Node 20 against
 * about 0.2 µs; it has no destroy hook to run, so none is registered.
 */
const OPTIONS = { requireManualDestroy: true };
const capture = (): ContextRunner => new AsyncResource('tasklet', OPTIONS);

let following = false;

/**
 * Turns tasklet-local async context on or off (it is on once `tasklets/node` is
 * imported); returns whether it was on. When on, each tasklet starts in the
 * `AsyncLocalStorage` context of the code that created it, and keeps it across all its
 * awaits — channel operations, `schedule()`, timers and I/O alike. Off, tasklets
 * created from then on start in whatever context the loop is in (a fraction of a
 * microsecond less per tasklet).
 *
 * @example
 * ```ts
 * import { AsyncLocalStorage } from 'node:async_hooks';
 * import 'tasklets/node';
 * const requestId = new AsyncLocalStorage<string>();
 * const ch = new Channel<string>();
 * const handle = tasklet(async () => {
 *   await ch.receive();
 *   console.log(requestId.getStore()); // "r1" — whichever tasklet ran before
 * });
 * requestId.run('r1', () => handle());
 * await ch.send('go'); // plain code, outside any context, wakes it
 * ```
 */
export function setAsyncContext(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError(`setAsyncContext(): on must be a boolean, received ${typeof on}`);
  const before = following;
  setContextCapture(on ? capture : null);
  following = on;
  return before;
}

setAsyncContext(true);
