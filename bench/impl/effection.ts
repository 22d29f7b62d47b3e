/**
 * effection v4: parties are `spawn`ed operations (generators) inside one `run`; it has
 * no rendezvous channel with a blocking send (its `Channel` broadcasts to subscribers),
 * so each party receives from its own unbounded `createQueue()`: `q.add(v)` sends
 * without blocking, `yield* q.next()` receives. The parked workload's `run` stays in
 * progress (joining its parties) until they are released.
 */
import { createQueue, run, spawn, type Operation, type Queue, type Task } from 'effection';
import { EXIT, pickOther, random, turnsUntil, type Workloads } from '../common';

type Q = Queue<number, void>;

function* receive(q: Q): Operation<number> {
  const next = yield* q.next();
  return next.value as number;
}

function* joinAll(tasks: readonly Task<void>[]): Operation<void> {
  for (const task of tasks) yield* task;
}

export const workloads: Workloads = {
  hackysack(players, turns, seed) {
    const rand = random(seed);
    const n = players + 1;
    let kicks = 0;
    let finished = 0;
    return run(function* () {
      const queues: Q[] = new Array(n);
      for (let i = 0; i < n; i++) queues[i] = createQueue<number, void>();
      const tasks: Task<void>[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const me = i;
        tasks[i] = yield* spawn(function* () {
          for (;;) {
            const sack = yield* receive(queues[me]);
            if (sack === EXIT) break;
            const to = pickOther(rand, n, me);
            if (++kicks === turns) {
              for (let j = 0; j < n; j++) if (j !== me) queues[j].add(EXIT);
              break;
            }
            queues[to].add(me);
          }
          finished++;
        });
      }
      queues[0].add(0);
      yield* joinAll(tasks);
      return { kicks, finished };
    });
  },

  pingpong(roundTrips) {
    let matched = true;
    let count = 0;
    return run(function* () {
      const ping = createQueue<number, void>();
      const pong = createQueue<number, void>();
      const ponger = yield* spawn(function* () {
        for (let i = 0; i < roundTrips; i++) pong.add(yield* receive(ping));
      });
      const pinger = yield* spawn(function* () {
        for (let i = 0; i < roundTrips; i++) {
          ping.add(i);
          if ((yield* receive(pong)) !== i) matched = false;
          count++;
        }
      });
      yield* joinAll([ponger, pinger]);
      return { roundTrips: count, matched };
    });
  },

  pipeline(stages, messages) {
    let received = 0;
    let inOrder = true;
    return run(function* () {
      const queues: Q[] = new Array(stages + 1);
      for (let i = 0; i <= stages; i++) queues[i] = createQueue<number, void>();
      const tasks: Task<void>[] = [];
      tasks.push(
        yield* spawn(function* () {
          for (let j = 0; j < messages; j++) {
            if ((yield* receive(queues[stages])) !== j) inOrder = false;
            received++;
          }
        }),
      );
      for (let k = stages - 1; k >= 0; k--) {
        const input = queues[k];
        const output = queues[k + 1];
        tasks.push(
          yield* spawn(function* () {
            for (let j = 0; j < messages; j++) output.add(yield* receive(input));
          }),
        );
      }
      tasks.push(
        yield* spawn(function* () {
          for (let i = 0; i < messages; i++) queues[0].add(i);
        }),
      );
      yield* joinAll(tasks);
      return { received, inOrder };
    });
  },

  async park(parties) {
    const queues: Q[] = new Array(parties);
    for (let i = 0; i < parties; i++) queues[i] = createQueue<number, void>();
    let started = 0;
    let received = 0;
    let spawned!: () => void;
    const ready = new Promise<void>((resolve) => (spawned = resolve));

    const all = run(function* () {
      const tasks: Task<void>[] = new Array(parties);
      for (let i = 0; i < parties; i++) {
        const me = i;
        tasks[i] = yield* spawn(function* () {
          started++;
          if ((yield* receive(queues[me])) === me) received++;
        });
      }
      spawned();
      yield* joinAll(tasks);
    });

    // `all` settles before `ready` only if the run failed.
    await Promise.race([ready, all]);
    await turnsUntil(() => started === parties, `${parties} spawned operations parked`);
    return {
      get started() {
        return started;
      },
      get received() {
        return received;
      },
      async release() {
        for (let i = 0; i < parties; i++) queues[i].add(i);
        await all;
        return received;
      },
    };
  },
};
