/**
 * The four workloads written once for every implementation whose parties are plain
 * async functions: both floors and the promise-based peers. Each of those modules only
 * says how to make a channel, send and receive (`ChannelOps`).
 *
 * A send is written `parked = ops.send(ch, v); if (parked !== undefined) await parked`:
 * a library whose send returns a promise is awaited on every send, as its users write it;
 * one whose send returns nothing (an unbounded queue, or the bare floor's hand-over) is
 * not awaited. Each child process loads one implementation, so the calls through `ops`
 * see one shape and V8 inlines them: they add no tick and next to no time.
 */
import { EXIT, Finish, pickOther, random, turnsUntil, type Workloads } from '../common';

export interface ChannelOps<C, R = number> {
  /** A new channel: rendezvous where the library has one. */
  channel(): C;
  /** Sends `value`; a returned promise settles when the send is complete. */
  send(ch: C, value: number): Promise<unknown> | void;
  /** Receives the next value, or what carries it (see `unwrap`). */
  receive(ch: C): Promise<R>;
  /** The value in what `receive` resolved with, where that is not the value itself. */
  unwrap?: (received: R) => number;
}

export function asyncPartyWorkloads<C, R = number>(ops: ChannelOps<C, R>): Workloads {
  const unwrap = ops.unwrap ?? ((received: R) => received as unknown as number);
  return {
    async hackysack(players, turns, seed) {
      const rand = random(seed);
      const n = players + 1;
      const channels: C[] = new Array(n);
      for (let i = 0; i < n; i++) channels[i] = ops.channel();
      const finish = new Finish(n);
      let kicks = 0;

      const player = async (me: number): Promise<void> => {
        const own = channels[me];
        for (;;) {
          const sack = unwrap(await ops.receive(own));
          if (sack === EXIT) break;
          const to = pickOther(rand, n, me);
          if (++kicks === turns) {
            for (let i = 0; i < n; i++) {
              if (i === me) continue;
              const parked = ops.send(channels[i], EXIT);
              if (parked !== undefined) await parked;
            }
            break;
          }
          const parked = ops.send(channels[to], me);
          if (parked !== undefined) await parked;
        }
        finish.one();
      };

      for (let i = 0; i < n; i++) void player(i);
      const parked = ops.send(channels[0], 0);
      if (parked !== undefined) await parked;
      await finish.done;
      return { kicks, finished: finish.count };
    },

    async pingpong(roundTrips) {
      const ping = ops.channel();
      const pong = ops.channel();
      let matched = true;
      let count = 0;

      const ponger = async (): Promise<void> => {
        for (let i = 0; i < roundTrips; i++) {
          const parked = ops.send(pong, unwrap(await ops.receive(ping)));
          if (parked !== undefined) await parked;
        }
      };
      const pinger = async (): Promise<void> => {
        for (let i = 0; i < roundTrips; i++) {
          const parked = ops.send(ping, i);
          if (parked !== undefined) await parked;
          if (unwrap(await ops.receive(pong)) !== i) matched = false;
          count++;
        }
      };

      await Promise.all([ponger(), pinger()]);
      return { roundTrips: count, matched };
    },

    async pipeline(stages, messages) {
      const channels: C[] = new Array(stages + 1);
      for (let i = 0; i <= stages; i++) channels[i] = ops.channel();
      let received = 0;
      let inOrder = true;

      const sink = async (): Promise<void> => {
        for (let j = 0; j < messages; j++) {
          if (unwrap(await ops.receive(channels[stages])) !== j) inOrder = false;
          received++;
        }
      };
      const stage = async (k: number): Promise<void> => {
        const input = channels[k];
        const output = channels[k + 1];
        for (let j = 0; j < messages; j++) {
          const parked = ops.send(output, unwrap(await ops.receive(input)));
          if (parked !== undefined) await parked;
        }
      };
      const source = async (): Promise<void> => {
        for (let i = 0; i < messages; i++) {
          const parked = ops.send(channels[0], i);
          if (parked !== undefined) await parked;
        }
      };

      // Downstream first, so that every stage is parked on its receive before data flows.
      const parties: Promise<void>[] = [sink()];
      for (let k = stages - 1; k >= 0; k--) parties.push(stage(k));
      parties.push(source());
      await Promise.all(parties);
      return { received, inOrder };
    },

    async park(parties) {
      const channels: C[] = new Array(parties);
      for (let i = 0; i < parties; i++) channels[i] = ops.channel();
      let started = 0;
      let received = 0;
      let ended = 0;

      const party = async (own: C, me: number): Promise<void> => {
        started++;
        if (unwrap(await ops.receive(own)) === me) received++;
        ended++;
      };

      for (let i = 0; i < parties; i++) void party(channels[i], i);
      await turnsUntil(() => started === parties, `${parties} parties parked`);
      return {
        get started() {
          return started;
        },
        get received() {
          return received;
        },
        async release() {
          // Not awaited one by one: every send finds its receiver parked.
          for (let i = 0; i < parties; i++) void ops.send(channels[i], i);
          await turnsUntil(() => ended === parties, `${parties} parties ended once released`);
          return received;
        },
      };
    },
  };
}
