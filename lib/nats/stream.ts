/**
 * The JetStream side of a durable channel: its stream (work-queue retention, bounded to
 * `capacity` messages, new messages refused when full), its one shared pull consumer, the
 * close mark, and the receiver-side dedupe.
 *
 * Stream `<name>` holds subject `<subject>` (the values); stream `<name>_CLOSE` holds
 * `_tasklets.<subject>.closed`, the close mark, apart so that it does not count against the
 * bound. Every process fetches from the one consumer `tasklets`, so each stored value is
 * delivered to one process at a time and removed once acknowledged.
 */
import type { JetStreamManager, NatsConnection } from 'nats';
import { control } from './wire';

/** Nanoseconds, as JetStream's configuration wants durations. */
const ns = (ms: number): number => ms * 1_000_000;

/** The stream's name: the `durable` option if it is a name, else `TASKLETS_` and the subject with `.` as `_`. */
export function streamName(subject: string, durable: string): string {
  return durable !== '' ? durable : `TASKLETS_${subject.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The stream of the close mark, beside the values' (which must not count it against their bound). */
const markStream = (name: string): string => `${name}_CLOSE`;

/** The durable consumer every process of the channel fetches from. */
export const CONSUMER = 'tasklets';

/** Makes the stream and the consumer if they are not there (a stream made earlier is used as it is). */
export async function ensureStream(nc: NatsConnection, name: string, subject: string, capacity: number, ackWait: number): Promise<JetStreamManager> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(name);
  } catch {
    await jsm.streams.add({
      name,
      subjects: [subject],
      retention: 'workqueue' as never,
      max_msgs: capacity,
      discard: 'new' as never,
      storage: 'file' as never,
      num_replicas: 1,
      duplicate_window: ns(120_000),
    });
  }
  try {
    await jsm.streams.info(markStream(name));
  } catch {
    await jsm.streams.add({ name: markStream(name), subjects: [control(subject, 'closed')], max_msgs: 1, storage: 'file' as never, num_replicas: 1 });
  }
  try {
    await jsm.consumers.info(name, CONSUMER);
  } catch {
    await jsm.consumers.add(name, { durable_name: CONSUMER, ack_policy: 'explicit' as never, ack_wait: ns(ackWait), filter_subject: subject, max_ack_pending: -1 });
  }
  return jsm;
}

/** Whether the close mark is in the stream. */
export async function closeMarked(jsm: JetStreamManager, name: string, subject: string): Promise<boolean> {
  try {
    await jsm.streams.getMessage(markStream(name), { last_by_subj: control(subject, 'closed') });
    return true;
  } catch {
    return false;
  }
}

/** Whether no value is left anywhere: none stored and none delivered but unacknowledged. */
export async function drained(jsm: JetStreamManager, name: string): Promise<boolean> {
  const info = await jsm.consumers.info(name, CONSUMER);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/**
 * The values a receiving process has handed to its receivers, by sender id and sequence
 * number: a value stored twice (a publish whose acknowledgement was lost in a server crash,
 * repeated with the same id, after the work queue deleted the first copy and with it the
 * server's memory of the id) or delivered again (an acknowledgement lost in a crash) is
 * acknowledged and dropped instead of reaching the program a second time. Per sender: the
 * highest sequence below which all were seen, and the ones seen above it.
 */
export class Seen {
  readonly #bySender = new Map<string, { low: number; above: Set<number> }>();
  /** How many duplicates were dropped. */
  dropped = 0;

  /** Records `seq` of sender `id`; `false` if it was seen already. */
  add(id: string, seq: number): boolean {
    let s = this.#bySender.get(id);
    if (s === undefined) this.#bySender.set(id, (s = { low: 0, above: new Set() }));
    if (seq <= s.low || s.above.has(seq)) {
      this.dropped++;
      return false;
    }
    s.above.add(seq);
    while (s.above.delete(s.low + 1)) s.low++;
    return true;
  }
}
