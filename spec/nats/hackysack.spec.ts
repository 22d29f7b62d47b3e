/**
 * Hackysack across three processes on one NATS server (spec/nats/fixtures/hackysack.ts):
 * one game, 30 players spread over the processes, 300 kicks. The kick count and the number
 * of finished players, summed over the processes, are exact.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describeWithServer, startServer, type TestServer } from './server';

jest.setTimeout(60_000);

describeWithServer('hackysack across processes on NATS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  test('three processes, 30 players, 300 kicks: exactly 300 kicks and 30 players finished', async () => {
    const game = join(__dirname, 'fixtures', 'hackysack.ts');
    const args = ['--import', 'tsx', game, '--nats', server.url, '--processes', '3', '--players', '30', '--turns', '300', '--seed', '7'];
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, args, (e, stdout, stderr) => (e === null ? resolve(stdout) : reject(new Error(`${e.message}\n${stdout}${stderr}`)))),
    );
    const r = JSON.parse(out) as { kicks: number; finished: number; perProcess: { kicks: number; finished: number }[] };
    expect([r.kicks, r.finished]).toEqual([300, 30]);
    expect(r.perProcess.map((p) => p.finished)).toEqual([10, 10, 10]);
    expect(r.perProcess.every((p) => p.kicks > 0)).toBe(true);
  });
});
