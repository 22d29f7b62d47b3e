/**
 * A real nats-server for the specs of tasklets/nats: started on a free 127.0.0.1 port with
 * JetStream on and a temporary store, stopped (and its store removed) by the spec.
 * `NATS_SERVER` names the binary; otherwise `nats-server` on the PATH or in /usr/sbin.
 * Without one the specs skip, saying so in one line — except in CI (`CI` set and not
 * `false`/`0`), where a missing server fails them.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

const inCI = process.env.CI !== undefined && process.env.CI !== '' && !/^(false|0)$/i.test(process.env.CI);

/** The nats-server binary, or `null`. */
export function serverBinary(): string | null {
  const named = process.env.NATS_SERVER;
  if (named !== undefined && named !== '') return named;
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).stdout.trim();
  if (found !== '') return found;
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : null;
}

/**
 * `describe`, or `describe.skip` when there is no server and this is not CI (the one line
 * saying why is Jest's global setup's: spec/nats/announce.cjs). In CI a missing server
 * throws: the suite fails.
 */
export function describeWithServer(name: string, body: () => void): void {
  if (serverBinary() !== null) return describe(name, body);
  if (inCI) throw new Error('tasklets/nats specs: no nats-server found (CI requires it: .ci/run installs it with apt)');
  describe.skip(name, body);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running nats-server the spec owns. */
export class TestServer {
  port = 0;
  readonly store = mkdtempSync(join(tmpdir(), 'tasklets-nats-'));
  #child: ChildProcess | null = null;

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts it (again, on the same port and store, after a stop or kill). */
  async start(): Promise<this> {
    if (this.port === 0) this.port = await freePort();
    const child = spawn(serverBinary()!, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.store], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server did not start within 10 s:\n${log}`)), 10_000);
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${log}`));
      });
    });
    child.removeAllListeners('exit');
    child.stderr.resume();
    return this;
  }

  /** Ends it with `signal` (SIGKILL: a crash) and waits until it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  /** Stops it and removes its store. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.store, { recursive: true, force: true });
  }
}

/** A started server. */
export async function startServer(): Promise<TestServer> {
  return new TestServer().start();
}

/**
 * One server for a spec file's tests, started before them and stopped after, and the
 * connections they made, closed after: `conn()` connects (with `options`), `subject()` is
 * a fresh subject under `prefix`.
 */
export function useServer(prefix: string, options: Omit<ConnectionOptions, 'servers'> = {}): { readonly server: TestServer; subject(): string; conn(): Promise<NatsConnection> } {
  let server: TestServer | undefined;
  const conns: NatsConnection[] = [];
  let subjects = 0;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await server?.dispose();
  });
  const current = (): TestServer => {
    if (server === undefined) throw new Error('useServer(): the server starts in beforeAll');
    return server;
  };
  return {
    get server(): TestServer {
      return current();
    },
    subject: () => `${prefix}.${++subjects}`,
    conn: async (): Promise<NatsConnection> => {
      const nc = await connect({ ...options, servers: current().url });
      conns.push(nc);
      return nc;
    },
  };
}
