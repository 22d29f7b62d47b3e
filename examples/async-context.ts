/**
 * Tasklet-local context with Node's AsyncLocalStorage: importing `tasklets/node` makes
 * each tasklet keep the context of the code that created it across every await, so
 * two requests handled by tasklets that meet on one channel each log their own id.
 *
 *   npx tsx examples/async-context.ts
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Channel, run, tasklet } from '../lib/index';
import '../lib/node';

const requestId = new AsyncLocalStorage<string>();
const log = (text: string): void => console.log(`[${requestId.getStore()}] ${text}`);

export async function main(): Promise<void> {
  const orders = new Channel<string>({ name: 'orders' });

  const customer = tasklet(async (item: string) => {
    log(`ordering ${item}`);
    await orders.send(item);
    log('ordered');
  });
  const kitchen = tasklet(async () => {
    const item = await orders.receive();
    await new Promise((resolve) => setTimeout(resolve, 5)); // cooking: a foreign await
    log(`cooked ${item}`);
  });

  requestId.run('req-1', () => kitchen());
  requestId.run('req-2', () => customer('tea'));
  await run();
}

if (/async-context\.ts$/.test(process.argv[1] ?? '')) void main();
