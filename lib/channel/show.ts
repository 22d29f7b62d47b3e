/**
 * How `util.inspect` and `console.log` show a channel under Node (channel.ts's
 * `nodejs.util.inspect.custom` method, which documents it): its class and name, then its
 * capacity, balance and length — and `closing: true` once closed — instead of its wait
 * lists. Numbers are rendered by the `inspect` Node passes, so `colors` applies.
 */
import type { Channel } from './channel';

/** @internal The body of the channel's `nodejs.util.inspect.custom` method. */
export function showChannel(
  channel: Channel<any>,
  depth: number | null | undefined,
  options: { stylize?: (text: string, style: string) => string } | undefined,
  inspect: ((value: unknown, options?: object) => string) | undefined,
): string {
  const style = options?.stylize ?? ((text: string) => text);
  const head = `${style(channel.constructor.name || 'Channel', 'special')} ${style(JSON.stringify(channel.name), 'string')}`;
  if (typeof depth === 'number' && depth < 0) return `[${head}]`;
  const state: Record<string, number | boolean> = { capacity: channel.capacity, balance: channel.balance, length: channel.length };
  if (channel.closing) state.closing = true;
  const body =
    typeof inspect === 'function'
      ? inspect(state, { ...options, depth: 0, breakLength: Infinity })
      : `{ ${Object.entries(state)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')} }`;
  return `${head} ${body}`;
}
