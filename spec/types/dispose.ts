/**
 * Type-level tests of `using` and `await using`: a Channel is Disposable (closes), a
 * Tasklet is AsyncDisposable (killed and awaited) but not Disposable.
 */
import { Channel, schedule, tasklet } from '../../lib/index';
import { type Equal, expectType } from './expect';

export async function scoped(): Promise<void> {
  {
    using ch = new Channel<string>();
    expectType<Equal<typeof ch, Channel<string>>>();
    const d: Disposable = ch;
    void d;
  }
  {
    await using t = tasklet(async () => {
      await schedule();
      return 1;
    })();
    const d: AsyncDisposable = t;
    void d;
  }
  {
    const t = tasklet(async () => undefined)();
    // @ts-expect-error a tasklet is disposed asynchronously: `await using`, not `using`
    using wrong = t;
    void wrong;
    // @ts-expect-error a Tasklet is not Disposable
    const d: Disposable = t;
    void d;
  }
  {
    // @ts-expect-error a Channel is not AsyncDisposable (await using still accepts it, as a Disposable)
    const d: AsyncDisposable = new Channel();
    void d;
    await using ch = new Channel();
    void ch;
  }
}
