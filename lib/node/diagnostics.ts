/**
 * `node:diagnostics_channel` events (Node only), re-exported by `tasklets/node`: the
 * schedule and channel events are published on `tasklets:schedule` (`{ prev, next }`)
 * and `tasklets:channel` (`{ channel, tasklet, sending, willBlock }`), and only while
 * someone subscribes: the library's observer is installed when the first subscriber
 * comes and removed when the last one goes, so an unobserved program pays nothing.
 */
import dc from 'node:diagnostics_channel';
import { observe } from '../inspect/bus';
import { callerTasklet } from '../core/loop';
import type { Tasklet } from '../core/tasklet';

/** What `tasklets:schedule` publishes: the loop switches from `prev` to `next` (`undefined`: plain code). */
export interface ScheduleMessage {
  /** The tasklet whose slice ended; `undefined`: plain code. */
  prev: Tasklet | undefined;
  /** The tasklet about to run; `undefined`: plain code. */
  next: Tasklet | undefined;
}

/** What `tasklets:channel` publishes before every channel operation. */
export interface ChannelMessage {
  /** The channel operated on. */
  channel: import('../channel/channel').Channel<any>;
  /** The tasklet operating; `undefined`: plain code. */
  tasklet: Tasklet | undefined;
  /** `true` for a send, `false` for a receive. */
  sending: boolean;
  /** Whether the operation will park (no partner, no room or no value in the buffer). */
  willBlock: boolean;
}

/**
 * The names of the `node:diagnostics_channel` channels the library publishes on, while
 * someone subscribes.
 *
 * @example
 * ```ts
 * import dc from 'node:diagnostics_channel';
 * import { diagnosticsChannels, type ChannelMessage } from 'tasklets/node';
 * dc.subscribe(diagnosticsChannels.channel, (message) => {
 *   const { channel, sending, willBlock } = message as ChannelMessage;
 *   if (willBlock) console.log(`${sending ? 'send' : 'receive'} parks on ${channel}`);
 * });
 * ```
 */
export const diagnosticsChannels = Object.freeze({
  /** `'tasklets:schedule'`: a {@link ScheduleMessage} each time the loop switches parties. */
  schedule: 'tasklets:schedule',
  /** `'tasklets:channel'`: a {@link ChannelMessage} before every channel operation. */
  channel: 'tasklets:channel',
});

/**
 * The two channel objects, held for the life of the process. Node keeps one object per
 * name only while someone references it, and on Node 20 a dead object's finalizer can
 * remove a newer object of the same name from Node's table (nodejs/node#59910, fixed in
 * later lines): `dc.subscribe(name)` would then reach a third object this module never
 * patched, and nothing would be published. So the objects are never let go: they hang
 * on the `node:diagnostics_channel` module itself under a registered symbol, where a
 * second copy of this module (a test runner's fresh module registry) finds them too.
 */
const held = Symbol.for('tasklets.diagnosticsChannels');
const home = dc as unknown as { [held]?: readonly [dc.Channel, dc.Channel] };
const [scheduleChannel, channelChannel] = home[held] ?? keep([dc.channel(diagnosticsChannels.schedule), dc.channel(diagnosticsChannels.channel)]);

function keep(pair: readonly [dc.Channel, dc.Channel]): readonly [dc.Channel, dc.Channel] {
  try {
    Object.defineProperty(dc, held, { value: pair });
  } catch {
    // A frozen module object: this copy holds the pair, as before.
  }
  return pair;
}
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
          channelChannel.publish({ channel: ch, tasklet: callerTasklet(), sending, willBlock: mayBlock && ch._wouldPark(sending) } satisfies ChannelMessage);
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
