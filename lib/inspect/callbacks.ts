/**
 * Stackless's callbacks: `set_schedule_callback` and `set_channel_callback`, as
 * `setScheduleCallback` and `setChannelCallback` — observers on the bus
 * (lib/inspect/bus.ts), so they cost nothing while unset.
 */
import type { Channel } from '../channel/channel';
import { callerTasklet, S } from '../core/loop';
import type { Tasklet } from '../core/tasklet';
import { observe } from './bus';

/** Called each time the loop resumes a party: `prev` ran last, `next` runs now. */
export type ScheduleCallback = (prev: Tasklet | undefined, next: Tasklet | undefined) => void;
/** Called before every channel operation. */
export type ChannelCallback = (channel: Channel<any>, tasklet: Tasklet | undefined, sending: boolean, willBlock: boolean) => void;

let scheduleCallback: ScheduleCallback | null = null;
let unobserveSchedule: (() => void) | null = null;
let channelCallback: ChannelCallback | null = null;
let unobserveChannel: (() => void) | null = null;

/** The party whose slice the loop started last; `null` before the first or after idling. */
let lastResumed: Tasklet | undefined | null = null;

/**
 * Stackless's `set_schedule_callback`: `callback(prev, next)` is called each time the
 * loop switches to a party — `next` is the tasklet it resumes (`undefined` for plain
 * code), `prev` the one whose slice ran last (`undefined` for plain code, or when the
 * loop was idle). `null` removes it. Returns the previous callback. An error thrown by
 * the callback becomes an unhandled rejection; the loop goes on.
 *
 * Costs nothing while unset: the loop checks one field per switch.
 *
 * @example
 * ```ts
 * const switches: string[] = [];
 * setScheduleCallback((prev, next) => void switches.push(`${prev?.name ?? '-'} -> ${next?.name ?? 'plain code'}`));
 * tasklet(async () => {}, { name: 'a' })();
 * await run();
 * setScheduleCallback(null);
 * console.log(switches); // [ '- -> a', '- -> plain code' ] — the loop idled between the two
 * ```
 */
export function setScheduleCallback(callback: ScheduleCallback | null): ScheduleCallback | null {
  checkCallback('setScheduleCallback()', callback);
  const old = scheduleCallback;
  scheduleCallback = callback;
  if (unobserveSchedule !== null) unobserveSchedule();
  unobserveSchedule = null;
  if (callback !== null) {
    lastResumed = null;
    unobserveSchedule = observe({
      resume(_w, t) {
        const prev = lastResumed === null ? undefined : lastResumed;
        lastResumed = t;
        callback(prev, t);
      },
      idle() {
        if (!S.busy) lastResumed = null;
      },
    });
  }
  return old;
}

/**
 * The callback set by {@link setScheduleCallback}, or `null`.
 *
 * @example
 * ```ts
 * const previous = getScheduleCallback();
 * setScheduleCallback((prev, next) => console.log(`${prev ?? 'plain code'} -> ${next ?? 'plain code'}`));
 * setScheduleCallback(previous); // later: put back whatever was there
 * ```
 */
export function getScheduleCallback(): ScheduleCallback | null {
  return scheduleCallback;
}

/**
 * Stackless's `set_channel_callback`: `callback(channel, tasklet, sending, willBlock)`
 * is called before every channel operation (`send`, `receive`, `for await`, `trySend`,
 * `tryReceive`, `sendThrow`) — `tasklet` is the caller (`undefined` in plain code),
 * `willBlock` whether the operation is about to park (always `false` for the `try`
 * operations). `null` removes it. Returns the previous callback.
 *
 * Costs nothing while unset: each operation checks one field.
 *
 * @example
 * ```ts
 * setChannelCallback((ch, t, sending, willBlock) =>
 *   console.log(`${t?.name ?? 'plain'} ${sending ? 'sends on' : 'receives on'} ${ch.name}${willBlock ? ' (parks)' : ''}`));
 * ```
 */
export function setChannelCallback(callback: ChannelCallback | null): ChannelCallback | null {
  checkCallback('setChannelCallback()', callback);
  const old = channelCallback;
  channelCallback = callback;
  if (unobserveChannel !== null) unobserveChannel();
  unobserveChannel = null;
  if (callback !== null) {
    unobserveChannel = observe({
      channel(ch, sending, mayBlock) {
        callback(ch, callerTasklet(), sending, mayBlock && ch._wouldPark(sending));
      },
    });
  }
  return old;
}

/**
 * The callback set by {@link setChannelCallback}, or `null`.
 *
 * @example
 * ```ts
 * console.log(getChannelCallback()); // null
 * const log: ChannelCallback = (ch, _t, sending) => console.log(sending ? 'send' : 'receive', ch.name);
 * setChannelCallback(log);
 * console.log(getChannelCallback() === log); // true
 * setChannelCallback(null);
 * ```
 */
export function getChannelCallback(): ChannelCallback | null {
  return channelCallback;
}

function checkCallback(where: string, callback: unknown): void {
  if (callback !== null && typeof callback !== 'function') {
    throw new TypeError(`${where}: callback must be a function or null, received ${typeof callback}`);
  }
}
