/**
 * Hackysack on every core: the game of examples/hackysack.ts with its players spread over
 * `workers` worker threads (player `p` lives in worker `p % workers`). Each player owns a
 * rendezvous channel in its thread, shared (`share()`) with every other worker, so a kick
 * to a player of another thread is a `send` on a `RemoteChannel` — the same channels,
 * crossing threads.
 *
 * Exact replay: only one sack is ever in flight, so the kicks happen one after another
 * even across threads. The sack carries the game's random generator (mulberry32's state),
 * the kick count and a hash of every receiver so far (`trail`): whoever holds it draws the
 * next receiver from the same sequence as the one-thread game, so for a given seed the
 * kick sequence — and so the kicks, the finished count and `trail` — are the same with any
 * number of workers, and the same as `runit`'s game. Only the times differ.
 *
 * The last kicker tells its own thread's players to exit and sends `'exit-all'` to the
 * first player of each other worker, who tells the players of its thread.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Channel, run, tasklet } from '../lib/index';
import { attach, type RemoteChannel, share, type SharedChannel } from '../lib/worker';
import type { GameResult } from './hackysack';

/** What `runitOnWorkers` reports: `runit`'s result, the number of workers, and the kick sequence's hash. */
export interface WorkersGameResult extends GameResult {
  workers: number;
  /** Milliseconds spent starting the threads and sharing the channels, before the first kick (part of `ms`). */
  setupMs: number;
  /** A hash of every kick's receiver, in order: equal for equal games. */
  trail: number;
}

type Sack = { kicks: number; state: number; trail: number } | 'exit' | 'exit-all';

interface ThreadData {
  index: number;
  workers: number;
  players: number;
  turns: number;
}

type ToWorker = { t: 'peers'; players: number[]; shared: SharedChannel<Sack>[] } | { t: 'go'; seed: number };
type FromWorker =
  { t: 'shares'; to: number; players: number[]; shared: SharedChannel<Sack>[] } | { t: 'ready' } | { t: 'done'; kicks: number; finished: number; trail: number | undefined };

/** Starts one of the game's threads with `workerData`: `new Worker(file, { workerData })`, or for a TypeScript file, through tsx's require hook. */
export function spawnFrom(file: string | URL): (data: object) => Worker {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  if (/\.[cm]?ts$/.test(path)) {
    return (data) => new Worker(`require('tsx/cjs'); require(${JSON.stringify(path)});`, { eval: true, workerData: data });
  }
  return (data) => new Worker(file, { workerData: data });
}

/**
 * Plays one game over `workers` threads; `spawn` starts a thread running this module
 * (`spawnFrom(file)` makes one).
 *
 * @example
 * ```ts
 * const r = await runitOnWorkers(100, 1000, { workers: 2, seed: 1, spawn: spawnFrom('examples/hackysack-workers.ts') });
 * console.log(r.kicks, r.finished); // 1000 101
 * ```
 */
export async function runitOnWorkers(players: number, turns: number, options: { workers: number; seed?: number; spawn: (data: object) => Worker }): Promise<WorkersGameResult> {
  const { workers, spawn } = options;
  if (!Number.isInteger(players) || players < 1) throw new RangeError(`runitOnWorkers(): players must be an integer >= 1, received ${players}`);
  if (!Number.isInteger(turns) || turns < 1) throw new RangeError(`runitOnWorkers(): turns must be an integer >= 1, received ${turns}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > players + 1) {
    throw new RangeError(`runitOnWorkers(): workers must be an integer from 1 to players + 1 (${players + 1}), received ${workers}`);
  }
  const seed = options.seed ?? Date.now() >>> 0;
  const start = performance.now();
  const threads = Array.from({ length: workers }, (_, index) => spawn({ hackysack: { index, workers, players, turns } satisfies ThreadData }));
  const ended = threads.map((t) => new Promise<number>((resolve, reject) => (t.once('exit', resolve), t.once('error', reject))));
  const reports: { kicks: number; finished: number; trail: number | undefined }[] = [];
  let ready = 0;
  let setupMs = 0;
  const over = new Promise<void>((resolve, reject) => {
    for (const t of threads) {
      t.on('message', (m: FromWorker) => {
        if (m.t === 'shares')
          threads[m.to].postMessage(
            { t: 'peers', players: m.players, shared: m.shared } satisfies ToWorker,
            m.shared.map((s) => s.port),
          );
        else if (m.t === 'ready' && ++ready === workers) {
          setupMs = performance.now() - start;
          for (const t of threads) t.postMessage({ t: 'go', seed } satisfies ToWorker); // player 0, in worker 0, gets the sack
        } else if (m.t === 'done' && reports.push(m) === workers) resolve();
      });
    }
    ended.forEach((e, i) => void e.then((code) => code !== 0 && reject(new Error(`runitOnWorkers(): thread ${i} exited with code ${code} before the game ended`)), reject));
    void Promise.all(ended).then(
      () => reject(new Error('runitOnWorkers(): the threads ended before reporting')),
      () => {}, // rejected above
    );
  });
  try {
    await over;
  } catch (e) {
    await Promise.all(threads.map((t) => t.terminate())); // the others would wait for a sack for ever
    throw e;
  }
  await Promise.all(ended);
  const usage = process.resourceUsage();
  return {
    players,
    turns,
    kicks: reports.reduce((sum, r) => sum + r.kicks, 0),
    finished: reports.reduce((sum, r) => sum + r.finished, 0),
    ms: performance.now() - start,
    setupMs,
    peakRssMB: Math.round(usage.maxRSS / 1024),
    seed,
    workers,
    trail: reports.find((r) => r.trail !== undefined)?.trail ?? 0,
  };
}

/** mulberry32 (examples/random.ts) with its state outside, carried by the sack. */
let state = 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** The hash of the kick sequence, one receiver at a time. */
export const trailStep = (trail: number, to: number): number => (Math.imul(trail, 31) + to) >>> 0;

/** One of the game's threads: its players, their channels shared with the other threads; on 'go', `run()` until its players have finished. */
function playerThread({ index, workers, players, turns }: ThreadData): void {
  const port = parentPort!;
  const n = players + 1;
  const mine: number[] = [];
  for (let p = index; p < n; p += workers) mine.push(p);
  const channels: (Channel<Sack> | RemoteChannel<Sack>)[] = new Array(n);
  const own: Channel<Sack>[] = new Array(n);
  for (const p of mine) channels[p] = own[p] = new Channel<Sack>({ name: `player ${p}` });
  let kicks = 0;
  let finished = 0;
  let trail: number | undefined;

  const player = tasklet(async (me: number) => {
    const inbox = own[me];
    for (;;) {
      const sack = await inbox.receive();
      if (sack === 'exit') break;
      if (sack === 'exit-all') {
        for (const p of mine) if (p !== me) await own[p].send('exit');
        break;
      }
      state = sack.state;
      let to = (rand() * n) | 0;
      while (to === me) to = (rand() * n) | 0;
      ++kicks;
      const next = { kicks: sack.kicks + 1, state, trail: trailStep(sack.trail, to) };
      if (next.kicks === turns) {
        trail = next.trail;
        for (const p of mine) if (p !== me) await own[p].send('exit');
        for (let w = 0; w < workers; w++) if (w !== index) await channels[w].send('exit-all'); // player w is worker w's first
        break;
      }
      await channels[to].send(next);
    }
    finished++;
  });
  for (const p of mine) player(p);

  let peers = 0;
  const onMessage = (m: ToWorker): void => {
    if (m.t === 'peers') {
      m.players.forEach((p, i) => (channels[p] = attach(m.shared[i])));
      if (++peers === workers - 1) port.postMessage({ t: 'ready' } satisfies FromWorker);
    } else {
      if (index === 0) void own[0].send({ kicks: 0, state: m.seed >>> 0, trail: 0 });
      void run().then(() => {
        port.off('message', onMessage);
        port.postMessage({ t: 'done', kicks, finished, trail } satisfies FromWorker);
      });
    }
  };
  port.on('message', onMessage); // holds the thread until the game is over
  for (let w = 0; w < workers; w++) {
    if (w === index) continue;
    const shared = mine.map((p) => share(own[p]));
    port.postMessage(
      { t: 'shares', to: w, players: mine, shared } satisfies FromWorker,
      shared.map((s) => s.port),
    );
  }
  if (workers === 1) port.postMessage({ t: 'ready' } satisfies FromWorker);
}

const data = isMainThread ? undefined : (workerData as { hackysack?: ThreadData } | null)?.hackysack;
if (data !== undefined) playerThread(data);
