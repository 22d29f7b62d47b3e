/**
 * Order is part of the contract (SPEC.md "Tasklets and the run loop", "Channels"):
 * tasklets start in creation order, the run loop resumes runnable tasklets strictly
 * first in, first out, and `preference` decides who runs first after a hand-off.
 *
 * The rule for a hand-off between the running tasklet (the caller) and a parked one:
 * the woken party goes to the tail of the run queue; if it is preferred over the
 * caller, the caller goes to the tail right after it, otherwise the caller continues.
 *
 * Every spec narrates numbered steps, so a failure says which step moved.
 */
import { Channel, run, schedule, tasklet } from '../../lib/index';
import { CAPACITIES, stepLog, steps, takeAll } from '../helpers';

test('tasklets start in creation order', async () => {
  const { log, entries } = stepLog();
  for (const name of ['a', 'b', 'c', 'd', 'e']) tasklet(async () => log(`${name} starts`))();
  await run();
  expect(entries).toEqual(steps('a starts', 'b starts', 'c starts', 'd starts', 'e starts'));
});

test('three tasklets looping log(name); await schedule() give a b c a b c a b c', async () => {
  const { log, entries } = stepLog();
  for (const name of ['a', 'b', 'c']) {
    tasklet(async () => {
      for (let i = 0; i < 3; i++) {
        log(name);
        await schedule();
      }
    })();
  }
  await run();
  expect(entries).toEqual(steps('a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'));
});

test('a tasklet created while others run goes to the tail of the run queue', async () => {
  const { log, entries } = stepLog();
  const d = tasklet(async () => log('d 1'));
  tasklet(async () => {
    log('a 1');
    d();
    await schedule();
    log('a 2');
  })();
  for (const name of ['b', 'c']) {
    tasklet(async () => {
      log(`${name} 1`);
      await schedule();
      log(`${name} 2`);
    })();
  }
  await run();
  expect(entries).toEqual(steps('a 1', 'b 1', 'c 1', 'd 1', 'a 2', 'b 2', 'c 2'));
});

test('schedule() in plain code lets every runnable tasklet run first', async () => {
  const { log, entries } = stepLog();
  for (const name of ['a', 'b']) {
    tasklet(async () => {
      log(`${name} 1`);
      await schedule();
      log(`${name} 2`);
    })();
  }
  log('plain before');
  await schedule();
  log('plain after');
  await run();
  expect(entries).toEqual(steps('plain before', 'a 1', 'b 1', 'plain after', 'a 2', 'b 2'));
});

test('plain code is one more party: with preference -1 its send lets the receiver run first', async () => {
  const { log, entries } = stepLog();
  const ch = new Channel<string>();
  tasklet(async () => {
    for (let i = 0; i < 2; i++) log(`R got ${await ch.receive()}`);
  })();
  tasklet(async () => {
    log('B 1');
    await schedule();
    log('B 2');
  })();
  await schedule();
  log('plain sends x');
  await ch.send('x');
  log('plain sent x');
  await ch.send('y');
  log('plain sent y');
  await run();
  expect(entries).toEqual(steps('B 1', 'plain sends x', 'B 2', 'R got x', 'plain sent x', 'R got y', 'plain sent y'));
});

test('plain code may start two operations before it awaits: both are its own, and its slice ends after its synchronous run', async () => {
  const { log, entries } = stepLog();
  const a = new Channel<string>({ name: 'a' });
  const b = new Channel<string>({ name: 'b' });
  const receiver = tasklet(async () => {
    log(`R got ${await a.receive()}`);
    log(`R got ${await b.receive()}`);
  })();
  const bystander = tasklet(async () => {
    log('B 1');
    await schedule();
    log('B 2');
  })();
  await schedule(); // plain code is now the party in flight
  const first = a.send('x'); // hands off to R, and steps back (preference -1)
  const second = b.send('y'); // parks: still plain code's operation, not R's or B's
  log('plain awaits');
  await Promise.all([first, second]);
  log('plain sent both');
  await run();
  expect(entries).toEqual(steps('B 1', 'plain awaits', 'B 2', 'R got x', 'R got y', 'plain sent both'));
  expect([receiver.alive, bystander.alive]).toEqual([false, false]);
});

test('tasklets parked on a channel are resumed in the order they parked', async () => {
  const { log, entries } = stepLog();
  const ch = new Channel<number>();
  for (const name of ['r1', 'r2', 'r3']) tasklet(async () => log(`${name} got ${await ch.receive()}`))();
  tasklet(async () => {
    log('sender starts');
    for (let i = 1; i <= 3; i++) ch.trySend(i);
    log('sender done');
  })();
  await run();
  expect(entries).toEqual(steps('sender starts', 'sender done', 'r1 got 1', 'r2 got 2', 'r3 got 3'));
});

test('close() wakes the parked receivers in the order they parked; the closer goes on', async () => {
  const { log, entries } = stepLog();
  const ch = new Channel<number>();
  for (const name of ['r1', 'r2', 'r3']) {
    tasklet(async () => {
      await ch.receive().catch(() => log(`${name} sees the end`));
    })();
  }
  tasklet(async () => {
    log('closer closes');
    ch.close();
    log('closer goes on');
  })();
  await run();
  expect(entries).toEqual(steps('closer closes', 'closer goes on', 'r1 sees the end', 'r2 sees the end', 'r3 sees the end'));
});

/** A bystander tasklet that logs three steps with a schedule() between each. */
function bystander(log: (s: string) => void) {
  return tasklet(async () => {
    log('B 1');
    await schedule();
    log('B 2');
    await schedule();
    log('B 3');
  });
}

describe.each(CAPACITIES)('hand-off with capacity %p', (capacity) => {
  /**
   * R parks in receive() first (the buffer is empty); then S, the running caller, sends
   * to it. B is a bystander already on the run queue.
   */
  function senderCalls(preference: -1 | 0 | 1): Promise<string[]> {
    const { log, entries } = stepLog();
    const ch = new Channel<string>({ capacity, preference });
    tasklet(async () => log(`R got ${await ch.receive()}`))();
    tasklet(async () => {
      log('S sends');
      await ch.send('x');
      log('S sent');
    })();
    bystander(log)();
    return run().then(() => entries);
  }

  test('preference -1 (default): the receiver runs first; the sender goes to the tail right after it', async () => {
    expect(await senderCalls(-1)).toEqual(steps('S sends', 'B 1', 'R got x', 'S sent', 'B 2', 'B 3'));
  });

  test('preference 1: the sending caller continues; the receiver goes to the tail', async () => {
    expect(await senderCalls(1)).toEqual(steps('S sends', 'S sent', 'B 1', 'R got x', 'B 2', 'B 3'));
  });

  test('preference 0: the sending caller continues; the receiver goes to the tail', async () => {
    expect(await senderCalls(0)).toEqual(steps('S sends', 'S sent', 'B 1', 'R got x', 'B 2', 'B 3'));
  });

  if (capacity !== Infinity) {
    /**
     * S parks in send() first (on a full buffer, if there is one); then R, the running
     * caller, receives, which completes S's send. B is a bystander.
     */
    const senderCalled = (preference: -1 | 0 | 1): Promise<string[]> => {
      const { log, entries } = stepLog();
      const ch = new Channel<string>({ capacity, preference });
      for (let i = 1; i <= capacity; i++) ch.trySend(`b${i}`);
      tasklet(async () => {
        log('S sends');
        await ch.send('x');
        log('S sent');
      })();
      tasklet(async () => {
        log('R receives');
        log(`R got ${await ch.receive()}`);
      })();
      bystander(log)();
      return run().then(() => {
        takeAll(ch);
        return entries;
      });
    };
    const got = capacity === 0 ? 'x' : 'b1';

    test('preference -1: the receiving caller continues; the sender goes to the tail', async () => {
      expect(await senderCalled(-1)).toEqual(steps('S sends', 'R receives', `R got ${got}`, 'B 1', 'S sent', 'B 2', 'B 3'));
    });

    test('preference 1: the sender runs first; the receiving caller goes to the tail right after it', async () => {
      expect(await senderCalled(1)).toEqual(steps('S sends', 'R receives', 'B 1', 'S sent', `R got ${got}`, 'B 2', 'B 3'));
    });

    test('preference 0: the receiving caller continues; the sender goes to the tail', async () => {
      expect(await senderCalled(0)).toEqual(steps('S sends', 'R receives', `R got ${got}`, 'B 1', 'S sent', 'B 2', 'B 3'));
    });
  }

  test.each([-1, 0, 1] as const)('no partner, no switch, at preference %p: a send into a buffer with room, or a receive from it, goes on', async (preference) => {
    if (capacity === 0) return;
    const { log, entries } = stepLog();
    const ch = new Channel<string>({ capacity, preference });
    tasklet(async () => {
      log('S sends');
      await ch.send('x');
      log('S sent');
      log(`S got back ${await ch.receive()}`);
    })();
    bystander(log)();
    await run();
    expect(entries).toEqual(steps('S sends', 'S sent', 'S got back x', 'B 1', 'B 2', 'B 3'));
  });

  test('trySend to a parked receiver: the caller goes on, the receiver goes to the tail', async () => {
    const { log, entries } = stepLog();
    const ch = new Channel<string>({ capacity });
    tasklet(async () => log(`R got ${await ch.receive()}`))();
    tasklet(async () => {
      log('T tries');
      ch.trySend('x');
      log('T sent');
      await schedule();
      log('T again');
    })();
    tasklet(async () => {
      log('B 1');
      await schedule();
      log('B 2');
    })();
    await run();
    expect(entries).toEqual(steps('T tries', 'T sent', 'B 1', 'R got x', 'T again', 'B 2'));
  });
});

test('preference can be changed on a live channel', async () => {
  const { log, entries } = stepLog();
  const ch = new Channel<string>();
  ch.preference = 1;
  expect(ch.preference).toBe(1);
  tasklet(async () => log(`R got ${await ch.receive()}`))();
  tasklet(async () => {
    log('S sends');
    await ch.send('x');
    log('S sent');
  })();
  bystander(log)();
  await run();
  expect(entries).toEqual(steps('S sends', 'S sent', 'B 1', 'R got x', 'B 2', 'B 3'));
});
