/**
 * The workloads on this library as users get it: a plain `import 'tasklets'` under Node,
 * which the exports map resolves (Node's self-reference to this package) to
 * dist/index.node.mjs, the ESM face of the CommonJS build with the exit check (see
 * bench/build.ts; the suites build it first): every party is a `tasklet()`, every
 * channel a rendezvous `Channel`, every send and receive awaited, and `run()` waits for
 * the end. Parked tasklets are confirmed by the library itself: nothing runnable
 * (`getRunCount()`), and one receiver parked on every channel (`balance`).
 */
import type * as Library from '../../lib/index';

// Loaded by name at run time, so that type-checking needs no dist/; typed as lib/.
const PACKAGE = 'tasklets';
const { Channel, getRunCount, run, tasklet } = (await import(PACKAGE)) as typeof Library;
type Channel<T> = Library.Channel<T>;
import { EXIT, pickOther, random, turnsUntil, type Workloads } from '../common';

export const workloads: Workloads = {
  async hackysack(players, turns, seed) {
    const rand = random(seed);
    const n = players + 1;
    const channels: Channel<number>[] = new Array(n);
    for (let i = 0; i < n; i++) channels[i] = new Channel<number>();
    let kicks = 0;
    let finished = 0;

    const player = tasklet(async (me: number) => {
      const own = channels[me];
      for (;;) {
        const sack = await own.receive();
        if (sack === EXIT) break;
        const to = pickOther(rand, n, me);
        if (++kicks === turns) {
          for (let i = 0; i < n; i++) if (i !== me) await channels[i].send(EXIT);
          break;
        }
        await channels[to].send(me);
      }
      finished++;
    });

    for (let i = 0; i < n; i++) player(i);
    await channels[0].send(0);
    await run();
    return { kicks, finished };
  },

  async pingpong(roundTrips) {
    const ping = new Channel<number>();
    const pong = new Channel<number>();
    let matched = true;
    let count = 0;

    tasklet(async () => {
      for (let i = 0; i < roundTrips; i++) await pong.send(await ping.receive());
    })();
    tasklet(async () => {
      for (let i = 0; i < roundTrips; i++) {
        await ping.send(i);
        if ((await pong.receive()) !== i) matched = false;
        count++;
      }
    })();

    await run();
    return { roundTrips: count, matched };
  },

  async pipeline(stages, messages) {
    const channels: Channel<number>[] = new Array(stages + 1);
    for (let i = 0; i <= stages; i++) channels[i] = new Channel<number>();
    let received = 0;
    let inOrder = true;

    tasklet(async () => {
      for (let j = 0; j < messages; j++) {
        if ((await channels[stages].receive()) !== j) inOrder = false;
        received++;
      }
    })();
    const stage = tasklet(async (k: number) => {
      const input = channels[k];
      const output = channels[k + 1];
      for (let j = 0; j < messages; j++) await output.send(await input.receive());
    });
    for (let k = stages - 1; k >= 0; k--) stage(k);
    tasklet(async () => {
      for (let i = 0; i < messages; i++) await channels[0].send(i);
    })();

    await run();
    return { received, inOrder };
  },

  async park(parties) {
    const channels: Channel<number>[] = new Array(parties);
    for (let i = 0; i < parties; i++) channels[i] = new Channel<number>();
    let started = 0;
    let received = 0;

    const party = tasklet(async (own: Channel<number>, me: number) => {
      started++;
      if ((await own.receive()) === me) received++;
    });

    for (let i = 0; i < parties; i++) party(channels[i], i);
    await turnsUntil(() => started === parties && getRunCount() === 0, `${parties} tasklets parked`);
    return {
      get started() {
        return started;
      },
      get received() {
        return received;
      },
      confirm() {
        if (getRunCount() !== 0) return `getRunCount() is ${getRunCount()}, not 0`;
        for (let i = 0; i < parties; i++) {
          if (channels[i].balance !== -1) return `channel ${i} has balance ${channels[i].balance}, not -1 (one parked receiver)`;
        }
        return undefined;
      },
      async release() {
        // Plain-code sends, not awaited one by one: every one finds its receiver parked.
        for (let i = 0; i < parties; i++) void channels[i].send(i);
        await run();
        return received;
      },
    };
  },
};
