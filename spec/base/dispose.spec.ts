/**
 * Explicit resource management (lib/base/dispose.ts): `using ch = new Channel()` closes the
 * channel when the block ends, `await using t = tasklet(fn)()` kills the tasklet and
 * waits for it to unwind; and the symbols fall back to Node's registered ones where the
 * runtime lacks `Symbol.dispose`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { Channel, ChannelClosedError, run, schedule, tasklet } from '../../lib/index';
import { stepLog, steps } from '../helpers';

describe('using ch = new Channel()', () => {
  test('closes the channel at the end of the block; buffered values are still received', async () => {
    let outside: Channel<number>;
    {
      using ch = new Channel<number>({ capacity: 2, name: 'scoped' });
      outside = ch;
      await ch.send(1);
      expect(ch.closing).toBe(false);
    }
    expect(outside.closing).toBe(true);
    expect(await outside.receive()).toBe(1); // nothing sent is lost
    expect(outside.closed).toBe(true);
    await expect(outside.send(2)).rejects.toBeInstanceOf(ChannelClosedError);
  });

  test('closes it when the block throws too, ending a receiver parked on it', async () => {
    let outside!: Channel<string>;
    const receiver = tasklet(async () => {
      await schedule(); // let the block below create the channel
      return outside.receive().catch((e: unknown) => e);
    })();
    await expect(
      (async () => {
        using ch = new Channel<string>({ name: 'failing' });
        outside = ch;
        await schedule();
        await schedule(); // the receiver parks
        expect(ch.balance).toBe(-1);
        throw new Error('block failed');
      })(),
    ).rejects.toThrow('block failed');
    expect(await receiver.join()).toBeInstanceOf(ChannelClosedError);
  });

  test("the method is under the runtime's Symbol.dispose and, like close(), is idempotent", () => {
    const ch = new Channel();
    expect(typeof (ch as any)[Symbol.dispose]).toBe('function');
    (ch as any)[Symbol.dispose]();
    (ch as any)[Symbol.dispose]();
    expect(ch.closing).toBe(true);
  });
});

describe('await using t = tasklet(fn)()', () => {
  test('kills the tasklet at the end of the block and waits until its finally blocks ran', async () => {
    const { log, entries } = stepLog();
    const ch = new Channel<number>({ name: 'never' });
    let outside!: ReturnType<ReturnType<typeof tasklet>>;
    {
      await using t = tasklet(async () => {
        try {
          await ch.receive();
        } finally {
          log('tasklet unwinds');
        }
      })();
      outside = t;
      await schedule(); // t parks on ch
      expect(t.blocked).toBe(true);
      log('block ends');
    }
    log('after the block');
    expect(entries).toEqual(steps('block ends', 'tasklet unwinds', 'after the block'));
    expect(outside.alive).toBe(false);
    expect(ch.balance).toBe(0); // it left the channel as if it had never waited
    expect(await outside.join()).toBeUndefined();
  });

  test("a finished tasklet keeps its result; a failed one's error stays with join(), disposal does not throw it", async () => {
    const ok = tasklet(async () => 42)();
    const bad = tasklet(async () => {
      throw new Error('boom');
    })();
    const badResult = bad.join().catch((e: Error) => e.message);
    await run().catch(() => undefined);
    {
      await using a = ok;
      await using b = bad;
      expect([a.alive, b.alive]).toEqual([false, false]);
    }
    expect(await ok.join()).toBe(42);
    expect(await badResult).toBe('boom');
  });

  test("the method is under the runtime's Symbol.asyncDispose", async () => {
    const t = tasklet(async () => {
      for (;;) await schedule();
    })();
    await (t as any)[Symbol.asyncDispose]();
    expect(t.alive).toBe(false);
  });
});

describe('lib/base/dispose.ts', () => {
  /** Evaluates lib/base/dispose.ts with `Symbol` replaced by `fakeSymbol`. */
  function load(fakeSymbol: object): { disposeSymbol: symbol; asyncDisposeSymbol: symbol } {
    const source = readFileSync(join(__dirname, '..', '..', 'lib', 'base', 'dispose.ts'), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const exports: any = {};
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluates the module with a fake Symbol on purpose
    new Function('exports', 'Symbol', js)(exports, fakeSymbol);
    return exports;
  }

  test('uses Symbol.dispose and Symbol.asyncDispose where the runtime has them', () => {
    const dispose = Symbol('native dispose');
    const asyncDispose = Symbol('native asyncDispose');
    expect(load({ dispose, asyncDispose, for: Symbol.for })).toEqual({ disposeSymbol: dispose, asyncDisposeSymbol: asyncDispose });
  });

  test("falls back to Node's registered symbols where it lacks them, so TypeScript's helpers and Node agree", () => {
    expect(load({ for: Symbol.for })).toEqual({
      disposeSymbol: Symbol.for('nodejs.dispose'),
      asyncDisposeSymbol: Symbol.for('nodejs.asyncDispose'),
    });
  });
});
