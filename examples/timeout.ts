/**
 * Timeouts with select: wait for a reply, but not for ever. Shows the per-message
 * timeout (a fresh `after()` in every select) and the whole-conversation timeout (one
 * `after()` shared by every select). A timeout that loses costs nothing: its timer is
 * cleared at once.
 *
 *   npx tsx examples/timeout.ts
 */
import { after, Channel, select, sleep, type Tasklet, tasklet } from '../lib/index';

/** A server that answers each request after `delays[i]` ms, and then goes quiet. */
function slowServer(delays: readonly number[]): { replies: Channel<string>; server: Tasklet } {
  const replies = new Channel<string>({ name: 'replies' });
  const server = tasklet(
    async () => {
      for (let i = 0; i < delays.length; i++) {
        await sleep(delays[i]);
        await replies.send(`reply ${i}`);
      }
    },
    { name: 'server' },
  )();
  return { replies, server };
}

/** Per-message timeout: each reply must come within `limitMs` of the previous. */
export async function perMessage(delays: readonly number[], limitMs: number): Promise<string[]> {
  const { replies, server } = slowServer(delays);
  const log: string[] = [];
  const client = tasklet(
    async () => {
      for (;;) {
        const r = await select({ reply: replies.receiveCase(), timeout: after(limitMs).receiveCase() });
        if (r.key === 'timeout') {
          log.push('timed out');
          return;
        }
        log.push(r.value!);
      }
    },
    { name: 'client' },
  )();
  await client.join();
  await server.kill(); // a late reply would wait for ever: nobody listens any more
  return log;
}

/** Whole-conversation timeout: every reply must come before one shared deadline. */
export async function overall(delays: readonly number[], limitMs: number): Promise<string[]> {
  const { replies, server } = slowServer(delays);
  const log: string[] = [];
  const deadline = after(limitMs);
  const client = tasklet(
    async () => {
      for (;;) {
        const r = await select({ reply: replies.receiveCase(), timeout: deadline.receiveCase() });
        if (r.key === 'timeout') {
          log.push('deadline passed');
          return;
        }
        log.push(r.value!);
      }
    },
    { name: 'client' },
  )();
  await client.join();
  await server.kill();
  return log;
}

if (typeof process !== 'undefined' && /timeout\.[cm]?[tj]s$/.test(process.argv[1] ?? '')) {
  void (async () => {
    console.log(await perMessage([10, 10, 100], 50)); // [ 'reply 0', 'reply 1', 'timed out' ]
    console.log(await overall([10, 10, 10, 10, 10, 10], 35)); // three replies, then 'deadline passed'
    process.exit(0);
  })();
}
