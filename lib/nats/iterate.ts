/**
 * The `for await` iterator of a channel across processes: a plain object whose `next()`
 * is one receive (resolving `{ done: true }` at end-of-channel). Not an async generator:
 * a generator adds several promise hops per value, which at NATS rates is a measurable
 * share of a value's cost. `return()` (a `break`) makes it done: its `next()` then takes
 * nothing, and the channel stays open for its other users.
 */
export function receiving<T>(receive: () => Promise<IteratorResult<T>>): AsyncIterableIterator<T> {
  let done = false;
  const end: IteratorResult<T> = { value: undefined, done: true };
  const it: AsyncIterableIterator<T> = {
    next: () =>
      done
        ? Promise.resolve(end)
        : receive().then((r) => {
            if (r.done === true) done = true;
            return r;
          }),
    return: () => {
      done = true;
      return Promise.resolve(end);
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}
