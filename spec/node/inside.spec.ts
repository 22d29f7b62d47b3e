/**
 * The Node-only parts (lib/node/exit.ts and lib/node/diagnostics.ts, through lib/node.ts): the exit check, in child processes, and the
 * diagnostics channels.
 */
import { execFile } from 'node:child_process';
import dc from 'node:diagnostics_channel';
import * as path from 'node:path';
import { Channel, run, tasklet } from '../../lib/index';
import { S } from '../../lib/core/loop';
import { diagnosticsChannels, setExitCheck } from '../../lib/node';

/** Runs a fixture in a child Node (through tsx): its exit code, stdout and stderr. */
function spawnFixture(name: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(__dirname, '..', 'fixtures', `${name}.ts`);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', file, ...args], { cwd: path.join(__dirname, '..', '..'), timeout: 15000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('no silent exit', () => {
  test('a top-level await of a receive that can never complete names its channel and exits non-zero', async () => {
    const r = await spawnFixture('exit-top-level-await');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('tasklets: the process is exiting with 1 party parked on channels');
    expect(r.stderr).toContain('  plain code receives on channel "orders" (balance -1)');
    expect(r.stdout).toBe('');
  });

  test('tasklets parked when the event loop drains: the report on stderr, exit code 1', async () => {
    const r = await spawnFixture('exit-parked');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tasklets: the process is exiting with 2 parties parked on channels');
    expect(r.stderr).toContain('  tasklet "waiter" (#1) receives on channel "left" (balance -1)');
    expect(r.stderr).toContain('  tasklet "sender" (#2) sends on channel "right" (balance 1)');
  });

  test('a tasklet awaiting a promise nothing can settle when the event loop drains (run() pending): run() rejects, then the exit check names it, exit code 1', async () => {
    const [stranded, resolved] = await Promise.all([spawnFixture('exit-stranded'), spawnFixture('exit-stranded', 'resolved')]);
    expect(stranded.code).toBe(1);
    // 1. the event loop drains: the pending run() rejects, naming both, and the program goes on;
    expect(stranded.stdout).toBe(
      'run() rejected: DeadlockError\n' +
        'deadlock: 1 tasklet parked and nothing runnable, 1 awaiting a promise outside the library that nothing can settle\n' +
        '  tasklet "reader" (#2) receives on channel "inbox" (balance -1)\n' +
        '  tasklet "stranded" (#1) awaits a promise that nothing can settle now (not a channel, timer or I/O of this process)\n' +
        'tasklets: reader, stranded\n',
    );
    // 2. it drains again with nothing changed: the exit check reports and sets the exit code.
    expect(stranded.stderr).toContain(
      'tasklets: the process is exiting with 1 party parked on channels and 1 tasklet awaiting a promise outside the library, which nothing can wake now',
    );
    expect(stranded.stderr).toContain('  tasklet "reader" (#2) receives on channel "inbox" (balance -1)');
    expect(stranded.stderr).toContain('  tasklet "stranded" (#1) awaits a promise that nothing can settle now');
    expect(resolved).toEqual({ code: 0, stdout: 'run() resolved\n', stderr: '' });
  });

  test("the program's own beforeExit handler speaks first: it closes the channel, the worker finishes, nothing is reported", async () => {
    const [now, late] = await Promise.all([spawnFixture('exit-own-before-exit'), spawnFixture('exit-own-before-exit', 'late')]);
    expect(now).toEqual({ code: 0, stdout: 'worker done: 3\n', stderr: '' });
    expect(late).toEqual({ code: 0, stdout: 'worker done: 3\n', stderr: '' });
  });

  test('a timeoutSignal deadline keeps the process alive only while a party parked may need it', async () => {
    const [parked, idle] = await Promise.all([spawnFixture('exit-deadline', 'parked'), spawnFixture('exit-deadline', 'idle')]);
    expect(parked).toEqual({ code: 0, stdout: 'TimeoutError after the deadline\n', stderr: '' });
    expect(idle).toEqual({ code: 0, stdout: 'exits after no wait\n', stderr: '' });
  });

  test('setExitCheck(false) turns it off; a program that ends cleanly prints nothing', async () => {
    const [off, fed] = await Promise.all([spawnFixture('exit-parked', 'off'), spawnFixture('exit-parked', 'fed')]);
    expect(off).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fed).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('setExitCheck returns the previous setting and checks its argument', () => {
    expect(setExitCheck(true)).toBe(true);
    expect(setExitCheck(false)).toBe(true);
    expect(setExitCheck(true)).toBe(false);
    expect(() => setExitCheck('no' as never)).toThrow(/setExitCheck\(\): on must be a boolean/);
  });
});

describe('diagnostics_channel', () => {
  test('schedule and channel events are published while subscribed, and nothing is observed after', async () => {
    expect(S.watcher).toBeNull();
    const switches: string[] = [];
    const ops: string[] = [];
    const onSchedule = (m: unknown): void => {
      const { prev, next } = m as { prev?: { name: string }; next?: { name: string } };
      switches.push(`${prev?.name ?? 'plain'}>${next?.name ?? 'plain'}`);
    };
    const onChannel = (m: unknown): void => {
      const { channel, tasklet: t, sending, willBlock } = m as { channel: Channel; tasklet?: { name: string }; sending: boolean; willBlock: boolean };
      ops.push(`${t?.name ?? 'plain'} ${sending ? 'send' : 'receive'} ${channel.name}${willBlock ? ' blocks' : ''}`);
    };
    dc.subscribe(diagnosticsChannels.schedule, onSchedule);
    dc.channel(diagnosticsChannels.channel).subscribe(onChannel);
    const watchedWhileSubscribed = S.watcher !== null;
    let watchedWithChannelOnly = false;
    try {
      const ch = new Channel<number>({ name: 'dc' });
      tasklet(async () => ch.receive(), { name: 'r' })();
      tasklet(async () => ch.send(1), { name: 's' })();
      await run();
    } finally {
      // Unsubscribe before asserting: a subscriber left behind would reach later spec files.
      dc.unsubscribe(diagnosticsChannels.schedule, onSchedule);
      watchedWithChannelOnly = S.watcher !== null; // the channel events still have a subscriber
      dc.channel(diagnosticsChannels.channel).unsubscribe(onChannel);
    }
    expect(watchedWhileSubscribed).toBe(true);
    expect(watchedWithChannelOnly).toBe(true);
    expect(S.watcher).toBeNull();
    expect(switches.slice(0, 3)).toEqual(['plain>r', 'r>s', 's>r']);
    expect(ops).toEqual(['r receive dc blocks', 's send dc']);
  });
});
