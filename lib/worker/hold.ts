/**
 * A thread whose parties wait on a channel it shares stays alive for them.
 *
 * The port of a shared channel is unreferenced while no remote operation is pending on
 * it (lib/worker/share.ts), so that an idle thread can end. But a party of this thread
 * parked on that channel may yet be completed from the other thread — a worker whose
 * tasklet waits to receive what the main thread will send — and Node ends a thread
 * whose event loop is empty. So when this thread's event loop drains (`'beforeExit'`,
 * which worker threads raise too), each shared channel with a party parked on it
 * references its port again: the thread waits, as a server waits for its next request,
 * until the other thread acts, ends (the port closes and the party is stranded: the exit
 * check reports it), or ends this one. The next remote operation on the port lets it go
 * again once nothing is pending; the next drain looks again.
 *
 * @internal
 */
import type { MessagePort } from 'node:worker_threads';
import type { Channel } from '../channel/channel';

/** The owner's ports of the channels this thread shares, while open. */
const shared = new Map<MessagePort, Channel<unknown>>();
let listening = false;

/** `channel` is shared through `port` (its owner's end): hold the thread for its parties. */
export function holdForParked(port: MessagePort, channel: Channel<unknown>): void {
  shared.set(port, channel);
  if (listening) return;
  listening = true;
  process.on('beforeExit', drained);
}

/** `port` closed: nothing more can come through it. */
export function letGo(port: MessagePort): void {
  shared.delete(port);
}

function drained(): void {
  for (const [port, channel] of shared) if (channel.balance !== 0) port.ref();
}
