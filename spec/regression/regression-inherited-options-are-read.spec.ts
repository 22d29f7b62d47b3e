/**
 * Regression: options were read through the prototype chain, so
 * `new Channel(Object.create({ capacity: 4 })).capacity` was 4, and a polluted
 * `Object.prototype.capacity` changed every `new Channel({ name })`. SPEC: options
 * objects are read by their own properties only; inherited ones are ignored.
 */
import { Channel, select, sleep, tasklet, trySelect } from '../../lib/index';
import { merge } from '../../lib/index';

function polluting<T>(key: string, value: unknown, fn: () => T): T {
  Object.defineProperty(Object.prototype, key, { value, configurable: true, writable: true, enumerable: false });
  try {
    return fn();
  } finally {
    delete (Object.prototype as Record<string, unknown>)[key];
  }
}

test('new Channel(Object.create({ capacity: 4 })) is a rendezvous', () => {
  expect(new Channel(Object.create({ capacity: 4 })).capacity).toBe(0);
  expect(new Channel(Object.create({ preference: 1, name: 'inherited', overflow: 'dropOldest' })).preference).toBe(-1);
  expect(new Channel(Object.create({ name: 'inherited' })).name).toMatch(/^channel-\d+$/);
});

test('a polluted Object.prototype changes no option', async () => {
  polluting('capacity', 4, () => expect(new Channel({ name: 'n' }).capacity).toBe(0));
  polluting('preference', 1, () => expect(new Channel({}).preference).toBe(-1));
  polluting('overflow', 'dropNewest', () => expect(() => new Channel({ capacity: 1 })).not.toThrow());
  polluting('name', 'polluted', () => {
    expect(new Channel({ capacity: 1 }).name).not.toBe('polluted');
    expect(tasklet(async () => {}, {}).name).not.toBe('polluted');
  });
  const t = polluting('name', 'polluted', () => tasklet(async function worker() {}, {})());
  expect(t.name).toBe('worker');
  await t.join();
  polluting('priority', true, () => {
    const a = new Channel<number>({ capacity: 1 });
    expect(trySelect({ a: a.sendCase(1) }, {})).toEqual({ key: 'a', value: undefined, done: false });
  });
});

test('an inherited signal is ignored by send, receive, select and sleep', async () => {
  const aborted = AbortSignal.abort(new Error('inherited abort'));
  const options = Object.create({ signal: aborted });
  const ch = new Channel<number>({ capacity: 1 });
  await expect(ch.send(1, options)).resolves.toBeUndefined();
  await expect(ch.receive(options)).resolves.toBe(1);
  expect(ch.trySend(2)).toBe(true);
  await expect(select({ r: ch.receiveCase() }, options)).resolves.toEqual({ key: 'r', value: 2, done: false });
  await expect(sleep(0, options)).resolves.toBeUndefined();
  await expect(ch.sendSequence([3], options)).resolves.toBe(1);
});

test('toolbox options read own properties only (through the shared helper)', async () => {
  const a = new Channel<number>();
  const out = polluting('capacity', 7, () => merge([a], {}));
  expect(out.capacity).toBe(0);
  a.close();
  for await (const _ of out);
});
