import { parseArgs, runit } from '../examples/hackysack';

describe('examples/hackysack', () => {
  test('the game ends after exactly `turns` kicks and all players + 1 tasklets finish', async () => {
    for (const [players, turns] of [
      [1, 1],
      [2, 5],
      [10, 100],
      [1000, 1000],
    ] as const) {
      const r = await runit(players, turns, { seed: 7 });
      expect(r).toMatchObject({ players, turns, kicks: turns, finished: players + 1 });
      expect(r.ms).toBeGreaterThan(0);
    }
  });

  test('a seed replays the same game kick for kick', async () => {
    const a: string[] = [];
    const b: string[] = [];
    await runit(20, 200, { seed: 42, verbose: true, print: (l) => a.push(l) });
    await runit(20, 200, { seed: 42, verbose: true, print: (l) => b.push(l) });
    expect(a).toHaveLength(200);
    expect(a).toEqual(b);
    expect(a[0]).toMatch(/^0 got hackysack from 0, kicking to \d+$/);
  });

  test('command-line flags', () => {
    expect(parseArgs([])).toEqual({ players: 10000, turns: 1000, verbose: false });
    expect(parseArgs(['--players', '5', '--turns=7', '--seed', '0', '--verbose'])).toEqual({ players: 5, turns: 7, seed: 0, verbose: true });
    expect(parseArgs(['--players', '0'])).toMatch(/--players needs an integer >= 1/);
    expect(parseArgs(['--turns', 'ten'])).toMatch(/received "ten"/);
    expect(parseArgs(['--bogus'])).toMatch(/unknown argument/);
    expect(parseArgs(['--seed'])).toMatch(/needs a value/);
  });
});
