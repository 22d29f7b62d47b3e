/**
 * The `tasklets` command (cli/tasklets.ts), run in a child process as a user runs it:
 * `--help` and `--version` on stdout with exit 0, bad flags exit 2 with the usage on
 * stderr, a `--trace` file that cannot be written refused before the game, and the
 * progress bar only on a terminal (issue 13, part 8).
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runit } from '../examples/hackysack';

const root = path.join(__dirname, '..');
const cli = path.join(root, 'cli', 'tasklets.ts');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tasklets(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, timeout: 15000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
    });
  });
}

describe('the tasklets command', () => {
  it('--version prints the package version on stdout and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await tasklets('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help and -h print the usage on stdout and exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await tasklets(flag);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^usage: tasklets \[--players N\] \[--turns N\] \[--seed N\] \[--workers N\] \[--verbose\] \[--trace FILE\]\n/);
      expect(r.stdout).toContain('--version');
    }
  });

  it('bad flags: what is wrong and the usage on stderr, exit 2, nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['--frobnicate'], 'unknown argument: --frobnicate'],
      [['--players', 'many'], '--players needs an integer >= 1, received "many"'],
      [['--players'], '--players needs a value'],
      [['--verbose=yes'], '--verbose takes no value'],
      [['extra'], 'unexpected argument: extra'],
      [['--seed', '-1'], '--seed needs a value'],
    ];
    for (const [args, message] of cases) {
      const r = await tasklets(...args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(new RegExp(`^tasklets: ${message.replace(/[[\]()*+?.\\^$|-]/g, '\\$&')}\nusage: tasklets `));
    }
  });

  it('--trace into a directory that does not exist fails at once, before the game: no kick played, a clear message, exit 2', async () => {
    // --verbose prints every kick on stdout: an empty stdout means no game was played.
    const r = await tasklets('--players', '50', '--turns', '50', '--verbose', '--trace', '/nonexistent/dir/x.json');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'tasklets: --trace /nonexistent/dir/x.json: no such directory: /nonexistent/dir\n' });
    const dir = await tasklets('--verbose', '--trace', root);
    expect(dir).toEqual({ code: 2, stdout: '', stderr: `tasklets: --trace ${root}: is a directory\n` });
  });

  it('plays a game, with nothing on stderr when stderr is not a terminal', async () => {
    const r = await tasklets('--players', '100', '--turns', '50', '--seed', '7');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^hackysack: 100 players, 50 turns: 50 kicks, 101 tasklets finished, [\d.]+ ms, .*\(seed 7\)\n$/);
    expect(r.stderr).toBe('');
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  (hasScript ? it : it.skip)(
    'on a terminal, the bar shows the players starting, then the kicks',
    () => {
      // util-linux `script` gives the command a pseudo-terminal.
      const command = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(cli)} --players 200000 --turns 1000 --seed 1`;
      const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8', timeout: 60000 });
      const out = r.stdout.replace(/\x1b\[K/g, '');
      expect(out).toMatch(/\r\[[#.]{30}\] +\d+% {2}starting players [\d,]+\/200,001/);
      expect(out).toMatch(/\r\[#{30}\] 100% {2}kicks 1,000\/1,000 {2}finished 200,001\/200,001\r?\n/);
      expect(out).toMatch(/hackysack: 200,000 players, 1,000 turns: 1,000 kicks, 200,001 tasklets finished/);
    },
    60000,
  );

  it("runit's onProgress (the bar's feed) forms the circle a slice at a time, and plays the same game kick for kick", async () => {
    const plain: string[] = [];
    const watched: string[] = [];
    const seen: [number, number, number][] = [];
    const a = await runit(40000, 300, { seed: 5, verbose: true, print: (l) => plain.push(l) });
    const b = await runit(40000, 300, { seed: 5, verbose: true, print: (l) => watched.push(l), onProgress: (k, f, s) => void seen.push([k, f, s]) });
    expect(watched).toEqual(plain);
    expect([b.kicks, b.finished]).toEqual([a.kicks, a.finished]);
    // Every player reported its start, before the first kick: the "starting players" phase.
    const starts = seen.filter(([k]) => k === 0).map(([, , s]) => s);
    expect(starts).toEqual(Array.from({ length: 40001 }, (_, i) => i + 1));
    expect(seen[seen.length - 1]).toEqual([300, 40001, 40001]);
  });
});
