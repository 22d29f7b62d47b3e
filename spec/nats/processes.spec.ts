/**
 * Real processes on one NATS channel (lib/nats/): two child processes double what the spec
 * sends them — every value crosses twice, exactly once each — and a process killed while its
 * receive is parked takes no value with it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { natsChannel } from '../../lib/nats';
import { describeWithServer, startServer, type TestServer } from './server';

jest.setTimeout(30_000);

const party = join(__dirname, 'fixtures', 'party.ts');

function start(url: string, mode: 'double' | 'park'): { out: Promise<string>; kill(): void; said(text: string): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', party, url, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  });
  return {
    out: new Promise((resolve, reject) =>
      child.once('exit', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(out) : reject(new Error(`party exited with ${code}`)))),
    ),
    kill: () => child.kill('SIGKILL'),
    said: (text) =>
      new Promise((resolve) => {
        const l = (): void => {
          if (out.includes(text)) resolve();
        };
        listeners.add(l);
        l();
      }),
  };
}

describeWithServer('tasklets/nats across real processes', () => {
  let server: TestServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startServer();
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc.close();
    await server.dispose();
  });

  test('a process killed with a receive parked takes nothing; two processes then double 500 values: each crosses twice, exactly once', async () => {
    const doomed = start(server.url, 'park');
    await doomed.said('parked');
    doomed.kill();
    await doomed.out;
    const jobs = natsChannel<number>(nc, 'proc.jobs');
    const results = natsChannel<number>(nc, 'proc.results');
    const workers = [start(server.url, 'double'), start(server.url, 'double')];
    const got: number[] = [];
    const collecting = (async () => {
      for (let i = 0; i < 500; i++) got.push(await results.receive());
    })();
    for (let i = 0; i < 500; i++) await jobs.send(i);
    await jobs.close();
    await collecting;
    const counts = (await Promise.all(workers.map((w) => w.out))).map(Number);
    expect(counts[0] + counts[1]).toBe(500);
    expect(got.sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i * 2));
  });
});
