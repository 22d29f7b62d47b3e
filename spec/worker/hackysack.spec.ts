/**
 * Hackysack over worker threads (examples/hackysack-workers.ts): the players spread over
 * two threads, kicks crossing between them on shared channels, and the game the same as
 * the one-thread game for the same seed.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runit } from '../../examples/hackysack';
import { runitOnWorkers, spawnFrom, trailStep } from '../../examples/hackysack-workers';
import { random } from '../../examples/random';

jest.setTimeout(30_000);

const spawn = spawnFrom(path.join(__dirname, '..', '..', 'examples', 'hackysack-workers.ts'));

/** The one-thread game's kick sequence (examples/hackysack.ts draws the same way), hashed as the threads hash it. */
function oneThreadTrail(players: number, turns: number, seed: number): number {
  const rand = random(seed);
  const n = players + 1;
  let me = 0;
  let trail = 0;
  for (let k = 0; k < turns; k++) {
    let to = (rand() * n) | 0;
    while (to === me) to = (rand() * n) | 0;
    trail = trailStep(trail, to);
    me = to;
  }
  return trail;
}

test('30 players × 200 turns on 2 workers: 200 kicks, every player finished, and the one-thread game kick for kick; the same seed twice, the same game', async () => {
  const first = await runitOnWorkers(30, 200, { workers: 2, seed: 42, spawn });
  expect(first).toMatchObject({ players: 30, turns: 200, kicks: 200, finished: 31, workers: 2, seed: 42 });
  expect(first.trail).toBe(oneThreadTrail(30, 200, 42));
  const again = await runitOnWorkers(30, 200, { workers: 2, seed: 42, spawn });
  expect(again).toMatchObject({ kicks: 200, finished: 31, trail: first.trail });
  const other = await runitOnWorkers(30, 200, { workers: 2, seed: 43, spawn });
  expect(other.trail).not.toBe(first.trail); // the trail does tell games apart
});

test("oneThreadTrail is runit's game: the receivers its verbose lines name hash to the same trail", async () => {
  let trail = 0;
  await runit(30, 200, { seed: 42, verbose: true, print: (line) => (trail = trailStep(trail, Number(/kicking to (\d+)$/.exec(line)![1]))) });
  expect(trail).toBe(oneThreadTrail(30, 200, 42));
});

test('tasklets --workers 2 --seed 9, twice: exit 0, the same kicks, finished and trail', async () => {
  const root = path.join(__dirname, '..', '..');
  const play = (): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'cli/tasklets.ts', '--players', '30', '--turns', '200', '--seed', '9', '--workers', '2'],
        { cwd: root, timeout: 20_000 },
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- execFile's error is an Error the rule does not recognise
        (e, stdout) => (e === null ? resolve(stdout) : reject(e)),
      ),
    );
  const [a, b] = [await play(), await play()];
  const summary =
    /^hackysack: 30 players, 200 turns: 200 kicks, 31 tasklets finished on 2 worker threads, [\d.]+ ms \(setup [\d.]+ ms\), peak RSS \d+ MB \(seed 9, trail ([0-9a-f]{8})\)\n$/;
  expect(a).toMatch(summary);
  expect(summary.exec(b)![1]).toBe(summary.exec(a)![1]);
  expect(parseInt(summary.exec(a)![1], 16)).toBe(oneThreadTrail(30, 200, 9));
});

test('3 workers, a game shorter than the circle (2 turns), and a one-player game on 2 workers', async () => {
  const r = await runitOnWorkers(10, 2, { workers: 3, seed: 7, spawn });
  expect(r).toMatchObject({ kicks: 2, finished: 11, trail: oneThreadTrail(10, 2, 7) });
  const tiny = await runitOnWorkers(1, 5, { workers: 2, seed: 1, spawn });
  expect(tiny).toMatchObject({ kicks: 5, finished: 2, trail: oneThreadTrail(1, 5, 1) });
});

test('a thread that fails ends the game with its error, and the other threads are terminated', async () => {
  const started: Worker[] = [];
  const failing = (data: object): Worker => {
    const index = (data as { hackysack: { index: number } }).hackysack.index;
    const w = index === 1 ? new Worker('throw new Error("thread 1 broke")', { eval: true }) : spawn(data);
    started.push(w);
    return w;
  };
  await expect(runitOnWorkers(30, 200, { workers: 2, seed: 1, spawn: failing })).rejects.toThrow('thread 1 broke');
  expect(started.map((w) => w.threadId)).toEqual([-1, -1]); // both ended
});

test('bad arguments are refused', async () => {
  await expect(runitOnWorkers(3, 10, { workers: 5, spawn })).rejects.toThrow('runitOnWorkers(): workers must be an integer from 1 to players + 1 (4), received 5');
  await expect(runitOnWorkers(0, 10, { workers: 1, spawn })).rejects.toThrow('players must be an integer >= 1, received 0');
});
