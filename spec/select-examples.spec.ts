/** The examples of the select and toolbox guides, run as programs. */
import { news } from '../examples/broadcast';
import { fanIn } from '../examples/fanin';
import { primes } from '../examples/sieve';
import { overall, perMessage } from '../examples/timeout';
import { leftovers } from './helpers';

describe('examples', () => {
  test('fanin: every message of both producers, each producer’s in order', async () => {
    const got = await fanIn(5);
    expect(got).toHaveLength(6);
    expect(got.filter((m) => m.startsWith('joe'))).toEqual(['joe 0', 'joe 1', 'joe 2']);
    expect(got.filter((m) => m.startsWith('ann'))).toEqual(['ann 0', 'ann 1', 'ann 2']);
  });

  // Timers on a loaded machine fire late, never early: the bounds below hold however late.
  test('timeout: per-message and whole-conversation timeouts', async () => {
    expect(await perMessage([5, 5, 1000], 250)).toEqual(['reply 0', 'reply 1', 'timed out']);
    const log = await overall([10, 10, 10, 10, 10, 10, 10, 10], 45);
    // The deadline ends the conversation: the replies before it, in order — four fit in
    // 45 ms, and a fifth, due at 50 ms, may be ready together with a deadline firing late.
    expect(log[log.length - 1]).toBe('deadline passed');
    const replies = log.slice(0, -1);
    expect(replies).toEqual(replies.map((_, i) => `reply ${i}`));
    expect(replies.length).toBeLessThanOrEqual(5);
  });

  test('sieve: the first 100 primes', async () => {
    const p = await primes(100);
    expect(p.slice(0, 10)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect(p).toHaveLength(100);
    expect(p[99]).toBe(541);
  });

  test('broadcast: both readers get every headline; the slow one holds the source back once its buffer is full', async () => {
    const r = await news(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(r.fast).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(r.slow).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    // 'f' can be sent only after the slow reader has read at least 'b' (buffer 2 + one in hand)
    expect(r.log.indexOf('sent f')).toBeGreaterThan(r.log.indexOf('slow read b'));
  });
});

afterAll(() => {
  expect(leftovers().timers).toBe(0);
});

describe('examples/toolbox', () => {
  test('merged words come out shouted, each source in its order, all of them', async () => {
    const { shout } = await import('../examples/toolbox');
    const out = await shout(['one', 'three', 'five'], ['two', 'four']);
    expect(out.filter((w) => ['ONE', 'THREE', 'FIVE'].includes(w))).toEqual(['ONE', 'THREE', 'FIVE']);
    expect(out.filter((w) => ['TWO', 'FOUR'].includes(w))).toEqual(['TWO', 'FOUR']);
    expect(out).toHaveLength(5);
  });
});
