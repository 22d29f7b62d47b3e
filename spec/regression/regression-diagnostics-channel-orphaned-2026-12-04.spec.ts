/**
 * Regression (CI, 2026-12-04): on Node 20 a dead `node:diagnostics_channel` object's
 * finalizer removes a newer object of the same name from Node's table
 * (nodejs/node#59910). When a test runner loaded lib/node/diagnostics.ts a second time
 * (a fresh module registry) right after a collection, the second copy patched an object
 * Node then forgot: `dc.subscribe('tasklets:channel', fn)` reached a third object, the
 * library's observer was never installed, and `fn` heard nothing. The library now holds
 * its two channel objects for the life of the process.
 *
 * This file must not import lib/node at the top: a copy held here would keep the first
 * object alive and hide the race.
 */
import dc from 'node:diagnostics_channel';

type Lib = typeof import('../../lib/index') & typeof import('../../lib/node');

function loadCopy(): Lib {
  let lib: Lib | undefined;
  jest.isolateModules(() => {
    lib = { ...require('../../lib/index'), ...require('../../lib/node') } as Lib;
  });
  return lib!;
}

const gc = (globalThis as { gc?: () => void }).gc;
const maybe = gc === undefined ? test.skip : test;
if (gc === undefined) console.log('skipped: the diagnostics_channel race needs node --expose-gc (npm test runs Jest with it)');

maybe('a second copy of the library loaded after a collection still publishes to dc.subscribe()', async () => {
  loadCopy(); // the first copy, dropped at once
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc!();
  const lib = loadCopy(); // made while the first copy's channel objects await finalization
  await new Promise((resolve) => setTimeout(resolve, 20)); // the finalizers run
  const heard: string[] = [];
  const onChannel = (m: unknown): void => {
    const { channel, sending } = m as { channel: { name: string }; sending: boolean };
    heard.push(`${sending ? 'send' : 'receive'} ${channel.name}`);
  };
  dc.subscribe(lib.diagnosticsChannels.channel, onChannel);
  try {
    const ch = new lib.Channel<number>({ name: 'after-gc' });
    lib.tasklet(async () => ch.receive(), { name: 'r' })();
    lib.tasklet(async () => ch.send(1), { name: 's' })();
    await lib.run();
  } finally {
    dc.unsubscribe(lib.diagnosticsChannels.channel, onChannel);
  }
  expect(heard).toEqual(['receive after-gc', 'send after-gc']);
});
