/**
 * `node:diagnostics_channel` events (Node only), re-exported by `tasklets/node`: the
 * schedule and channel events are published on `tasklets:schedule` (`{ prev, next }`)
 * and `tasklets:channel` (`{ channel, tasklet, sending, willBlock }`), and only while
 * someone subscribes: the library's observer is installed when the first subscriber
 * comes and removed when the last one goes, so an unobserved program pays nothing.
 */
import dc from 'node:diagnostics_channel';
import { observe, willPark } from '../hooks';
import { callerTasklet } from '../loop';
import type { Tasklet } from '../tasklet';

/** What `tasklets:schedule` publishes: the loop switches from `prev` to `next` (`undefined`: plain code). */
export interface ScheduleMessage {
  prev: Tasklet | undefined;
  next: Tasklet | undefined;
}

/** What `tasklets:channel` publishes before every channel operation. */
export interface ChannelMessage {
  channel: import('../channel').Channel<any>;
  tasklet: Tasklet | undefined;
  sending: boolean;
  willBlock: boolean;
}

/** The names of the diagnostics channels the library publishes on. */
export const diagnosticsChannels = Object.freeze({ schedule: 'tasklets:schedule', channel: 'tasklets:channel' });

const scheduleChannel = dc.channel(diagnosticsChannels.schedule);
const channelChannel = dc.channel(diagnosticsChannels.channel);
let unobserve: (() => void) | null = null;
let lastResumed: Tasklet | undefined = undefined;

/** Installs the library's observer while either channel has a subscriber, removes it after. */
function refresh(): void {
  const wanted = !patched || scheduleChannel.hasSubscribers || channelChannel.hasSubscribers;
  if (wanted && unobserve === null) {
    lastResumed = undefined;
    unobserve = observe({
      resume(_w, t) {
        const prev = lastResumed;
        lastResumed = t;
        if (scheduleChannel.hasSubscribers) scheduleChannel.publish({ prev, next: t } satisfies ScheduleMessage);
      },
      channel(ch, sending, mayBlock) {
        if (channelChannel.hasSubscribers) {
          channelChannel.publish({ channel: ch, tasklet: callerTasklet(), sending, willBlock: mayBlock && willPark(ch, sending) } satisfies ChannelMessage);
        }
      },
    });
  } else if (!wanted && unobserve !== null) {
    unobserve();
    unobserve = null;
  }
}

/**
 * Node has no event for "someone subscribed", so the two channel objects get their own
 * `subscribe`/`unsubscribe` that call Node's and then refresh. `dc.subscribe(name, fn)`
 * goes through the same object (Node keeps one per name while it is referenced, and
 * this module holds both). If a runtime's objects cannot be patched, the observer stays
 * installed and checks `hasSubscribers` on each event instead.
 */
function watchSubscriptions(ch: dc.Channel): boolean {
  try {
    for (const method of ['subscribe', 'unsubscribe'] as const) {
      Object.defineProperty(ch, method, {
        configurable: true,
        writable: true,
        value(this: dc.Channel, fn: dc.ChannelListener) {
          const result = (Object.getPrototypeOf(this)[method] as (fn: dc.ChannelListener) => unknown).call(this, fn);
          refresh();
          return result;
        },
      });
    }
    return true;
  } catch {
    return false;
  }
}

/** Subscriptions are seen as they happen; otherwise the observer stays installed. */
const patched = watchSubscriptions(scheduleChannel) && watchSubscriptions(channelChannel);
refresh();
