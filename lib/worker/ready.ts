/**
 * At a channel's owner: noticing when a channel could take a value, for the send cases
 * of selects in other threads (lib/worker/share.ts serves them). A send case must not
 * be sent before its select says so (docs/worker.md), so the owner cannot park it as a
 * sender; it waits for `_canSend()` to turn true instead — a receiver parked, room in the
 * buffer, or the channel closing.
 *
 * A channel says nothing when that happens. The loop's observer bus does
 * (lib/inspect/bus.ts): while at least one send case waits here, this file listens to it,
 * and after any event on the loop or a channel looks again, once, a microtask later
 * (observers must not act inside the event). Listening wraps the channels' operations
 * (lib/inspect/wrap.ts), so it costs while — and only while — a remote send case waits
 * in this thread; none waiting, nothing listens. What the bus does not see — `close()` called
 * by plain code, which runs no operation — a slow look every 50 ms catches.
 *
 * @internal
 */
import { observe } from '../inspect/bus';

/** What looks again: returns once its waiting send cases have been looked at. */
export type Look = () => void;

const looks = new Set<Look>();
let stop: (() => void) | null = null;
let slow: ReturnType<typeof setInterval> | null = null;
let queued = false;

function lookAll(): void {
  queued = false;
  for (const look of [...looks]) look();
}

function soon(): void {
  if (queued) return;
  queued = true;
  queueMicrotask(lookAll);
}

/** `look` is called after each event while it is watched (`true`), until unwatched (`false`). */
export function watchReady(look: Look, on: boolean): void {
  if (on) looks.add(look);
  else looks.delete(look);
  if (looks.size !== 0 && stop === null) {
    stop = observe({ park: soon, unpark: soon, channel: soon, idle: soon, resume: soon, end: soon });
    slow = setInterval(soon, 50);
    slow.unref(); // the ports of the waiting cases hold the thread
  } else if (looks.size === 0 && stop !== null) {
    stop();
    stop = null;
    clearInterval(slow!);
    slow = null;
  }
}
