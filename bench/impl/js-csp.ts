/**
 * js-csp: parties are `go` processes (generators) on unbuffered `chan()`s,
 * `yield put(ch, v)` and `yield take(ch)`; the game's end is counted, as js-csp
 * processes are not promises.
 */
import csp, { type Chan, type Instruction } from 'js-csp';
import { EXIT, Finish, pickOther, random, turnsUntil, type Workloads } from '../common';

export const workloads: Workloads = {
  async hackysack(players, turns, seed) {
    const rand = random(seed);
    const n = players + 1;
    const channels: Chan<number>[] = new Array(n);
    for (let i = 0; i < n; i++) channels[i] = csp.chan<number>();
    const finish = new Finish(n);
    let kicks = 0;

    function* player(me: number): Generator<Instruction, void, unknown> {
      const own = channels[me];
      for (;;) {
        const sack = (yield csp.take(own)) as number;
        if (sack === EXIT) break;
        const to = pickOther(rand, n, me);
        if (++kicks === turns) {
          for (let i = 0; i < n; i++) if (i !== me) yield csp.put(channels[i], EXIT);
          break;
        }
        yield csp.put(channels[to], me);
      }
      finish.one();
    }

    for (let i = 0; i < n; i++) csp.go(player, [i]);
    csp.putAsync(channels[0], 0);
    await finish.done;
    return { kicks, finished: finish.count };
  },

  async pingpong(roundTrips) {
    const ping = csp.chan<number>();
    const pong = csp.chan<number>();
    const finish = new Finish(2);
    let matched = true;
    let count = 0;

    csp.go(function* () {
      for (let i = 0; i < roundTrips; i++) yield csp.put(pong, (yield csp.take(ping)) as number);
      finish.one();
    });
    csp.go(function* () {
      for (let i = 0; i < roundTrips; i++) {
        yield csp.put(ping, i);
        if ((yield csp.take(pong)) !== i) matched = false;
        count++;
      }
      finish.one();
    });

    await finish.done;
    return { roundTrips: count, matched };
  },

  async pipeline(stages, messages) {
    const channels: Chan<number>[] = new Array(stages + 1);
    for (let i = 0; i <= stages; i++) channels[i] = csp.chan<number>();
    const finish = new Finish(stages + 2);
    let received = 0;
    let inOrder = true;

    csp.go(function* () {
      for (let j = 0; j < messages; j++) {
        if ((yield csp.take(channels[stages])) !== j) inOrder = false;
        received++;
      }
      finish.one();
    });
    function* stage(k: number): Generator<Instruction, void, unknown> {
      const input = channels[k];
      const output = channels[k + 1];
      for (let j = 0; j < messages; j++) yield csp.put(output, (yield csp.take(input)) as number);
      finish.one();
    }
    for (let k = stages - 1; k >= 0; k--) csp.go(stage, [k]);
    csp.go(function* () {
      for (let i = 0; i < messages; i++) yield csp.put(channels[0], i);
      finish.one();
    });

    await finish.done;
    return { received, inOrder };
  },

  async park(parties) {
    const channels: Chan<number>[] = new Array(parties);
    for (let i = 0; i < parties; i++) channels[i] = csp.chan<number>();
    const finish = new Finish(parties);
    let started = 0;
    let received = 0;

    function* party(own: Chan<number>, me: number): Generator<Instruction, void, unknown> {
      started++;
      if ((yield csp.take(own)) === me) received++;
      finish.one();
    }

    for (let i = 0; i < parties; i++) csp.go(party, [channels[i], i]);
    await turnsUntil(() => started === parties, `${parties} processes parked`);
    return {
      get started() {
        return started;
      },
      get received() {
        return received;
      },
      async release() {
        for (let i = 0; i < parties; i++) csp.putAsync(channels[i], i);
        await turnsUntil(() => finish.count === parties, `${parties} processes ended once released`);
        return received;
      },
    };
  },
};
