/** tasklets/worker's error: ChannelGoneError, what an operation on a channel whose other thread is gone fails with. */
import { inspect } from 'node:util';
import * as worker from '../../lib/worker';
import { ChannelGoneError } from '../../lib/worker';

describe('ChannelGoneError', () => {
  test('is an Error with its name and message, and carries the value of a failed send', () => {
    const job = { id: 7 };
    const e = new ChannelGoneError('send(): the thread at the other end of channel "jobs" exited', job);
    expect(e).toBeInstanceOf(ChannelGoneError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ChannelGoneError');
    expect(e.message).toBe('send(): the thread at the other end of channel "jobs" exited');
    expect(e.value).toBe(job);
  });

  test('without a value (any operation but a send), .value is undefined', () => {
    const e = new ChannelGoneError('receive(): the other end of channel "jobs" is gone');
    expect(e.value).toBeUndefined();
    // A send of undefined that failed looks the same: the value it carried was undefined.
    expect(new ChannelGoneError('send(): gone', undefined).value).toBeUndefined();
  });

  test('String(), the stack and util.inspect show its name before the message', () => {
    const e = new ChannelGoneError('receive(): the other end of channel "jobs" is gone');
    expect(String(e)).toBe('ChannelGoneError: receive(): the other end of channel "jobs" is gone');
    expect(inspect(e)).toMatch(/^ChannelGoneError: receive\(\): the other end of channel "jobs" is gone\n\s+at /);
    expect(e.stack).toMatch(/\bat /);
  });

  test('is what lib/worker.ts, the tasklets/worker entry, exports', () => {
    expect(worker.ChannelGoneError).toBe(ChannelGoneError);
  });
});
