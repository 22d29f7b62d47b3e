/**
 * The state of one NATS connection as the channels on it need it: up or down (and since
 * when), closed for good. One watcher per connection, shared by its channels, fed by the
 * client's status events.
 */
import type { NatsConnection } from 'nats';

/** What a channel hears from its connection. */
export interface LinkListener {
  /** The connection dropped: answers on the way are lost. */
  down(): void;
  /** It is back: subscriptions are restored, announcements made meanwhile were lost. */
  up(): void;
  /** It is closed for good. */
  closed(): void;
}

/** One connection's state. */
export class Link {
  /** Whether the connection is up now. */
  isUp = true;
  /** When it went down (`Date.now()`), while it is down. */
  downSince = 0;
  /** Why it is closed for good, once it is. */
  closedBecause: string | null = null;
  readonly listeners = new Set<LinkListener>();

  constructor(nc: NatsConnection) {
    if (nc.isClosed()) this.closedBecause = 'the connection is closed';
    void (async () => {
      for await (const s of nc.status()) {
        const type = String(s.type); // the client's Events enum, compared by value: this file imports only its types
        if (type === 'disconnect' && this.isUp) {
          this.isUp = false;
          this.downSince = Date.now();
          for (const l of [...this.listeners]) l.down();
        } else if (type === 'reconnect' && !this.isUp) {
          this.isUp = true;
          for (const l of [...this.listeners]) l.up();
        }
      }
    })().catch(() => undefined);
    void nc.closed().then((e) => {
      this.closedBecause = e instanceof Error ? `the connection closed: ${e.message}` : 'the connection is closed';
      this.isUp = false;
      for (const l of [...this.listeners]) l.closed();
    });
  }
}

const links = new WeakMap<NatsConnection, Link>();

/** The shared watcher of `nc`. */
export function linkOf(nc: NatsConnection): Link {
  let link = links.get(nc);
  if (link === undefined) links.set(nc, (link = new Link(nc)));
  return link;
}

/** Whether `x` looks like a connection of the `nats` client. */
export function isConnection(x: unknown): x is NatsConnection {
  const c = x as Partial<NatsConnection> | null;
  return typeof c === 'object' && c !== null && typeof c.request === 'function' && typeof c.subscribe === 'function' && typeof c.status === 'function';
}

/** The code of a `nats` client error (`'503'`, `'TIMEOUT'`, `'CONNECTION_CLOSED'`, …), or `undefined`. */
export function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
