/**
 * Record and replay of the library's choices (lib/inspect/decisions.ts), through the one
 * function every choosing call site goes through.
 */
import { decide } from '../../lib/select/choice';
import { type Decision, recordDecisions, replayDecisions } from '../../lib/index';

/** A seeded generator standing in for the library's, and an unseeded one. */
function generator(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a % n;
  };
}

function scenario(random: (n: number) => number): number[] {
  return [3, 5, 2, 7, 4].map((n, i) => decide(n, i % 2 === 0 ? 'select' : 'other', random));
}

test('without a source, decide() draws from the generator it is given', () => {
  expect(scenario(generator(1))).toEqual(scenario(generator(1)));
});

test('a recorded run replays exactly with another generator; the recording is JSON', () => {
  const recording = recordDecisions();
  const original = scenario(generator(7));
  const decisions = recording.stop();
  expect(decisions).toHaveLength(5);
  expect(decisions[0]).toEqual({ where: 'select', n: 3, choice: original[0] });
  const saved = JSON.parse(JSON.stringify(decisions)) as Decision[];

  const replay = replayDecisions(saved);
  const again = scenario(generator(12345));
  replay.stop();
  expect(again).toEqual(original);
  expect(replay.position).toBe(5);
  expect(replay.diverged).toBeNull();
  expect(decide(10, 'select', () => 9)).toBe(9); // stopped: back to the generator
});

test('a run that asks for another choice than recorded diverges there and draws as usual', () => {
  const replay = replayDecisions([
    { where: 'select', n: 3, choice: 2 },
    { where: 'select', n: 4, choice: 1 },
  ]);
  try {
    expect(decide(3, 'select', () => 0)).toBe(2);
    expect(decide(5, 'select', () => 4)).toBe(4);
    expect(decide(4, 'select', () => 3)).toBe(3); // stays off the recording
  } finally {
    replay.stop();
  }
  expect(replay.diverged).toEqual({ at: 1, expected: { where: 'select', n: 4, choice: 1 }, asked: { where: 'select', n: 5 } });
});

test('one source at a time; bad recordings are refused', () => {
  const recording = recordDecisions();
  try {
    expect(() => replayDecisions([])).toThrow(/already being recorded or replayed/);
  } finally {
    recording.stop();
  }
  expect(() => replayDecisions([{ where: 'select', n: 2, choice: 2 }])).toThrow(/decision 0 must be \{ where, n, choice \} with 0 <= choice < n/);
  expect(() => replayDecisions('x' as never)).toThrow(TypeError);
});

test('select: the random choices of a run are recorded, and replayed exactly under another seed', async () => {
  const { Channel, select, setRandomSeed } = await import('../../lib/index');
  async function scenario(): Promise<string[]> {
    const keys: string[] = [];
    for (let i = 0; i < 20; i++) {
      const [a, b, c] = [1, 2, 3].map((v) => {
        const ch = new Channel<number>({ capacity: 1 });
        ch.trySend(v);
        return ch;
      });
      keys.push((await select({ a: a.receiveCase(), b: b.receiveCase(), c: c.receiveCase() })).key);
    }
    return keys;
  }
  const recording = recordDecisions();
  const first = await scenario();
  const saved = recording.stop();
  expect(saved).toHaveLength(20);
  expect(saved.every((d) => d.where === 'select' && d.n === 3)).toBe(true);
  expect(saved.map((d) => ['a', 'b', 'c'][d.choice])).toEqual(first);

  setRandomSeed(999);
  const replay = replayDecisions(saved);
  const again = await scenario();
  replay.stop();
  expect(again).toEqual(first);
  expect(replay.diverged).toBeNull();
  setRandomSeed(999);
  expect(await scenario()).not.toEqual(first); // the seed alone makes other choices (a 3^-20 chance otherwise)
});
