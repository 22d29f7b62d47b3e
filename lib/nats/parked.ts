/** Receives parked in this process on a channel across processes, and how they end. */
import { ChannelClosedError } from '../base/errors';

/** A parked local receive. */
export interface Parked {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  /** `for await`'s receive: end-of-channel resolves `{ done: true }`. */
  iterate: boolean;
  /** Forgets its abort listener. */
  cleanUp(): void;
}

/** End-of-channel for every receive in `parked` (emptied): `for await` ends, `receive()` rejects with `ChannelClosedError`. */
export function endAll(parked: Parked[], channel: string): void {
  for (const p of parked.splice(0)) {
    p.cleanUp();
    if (p.iterate) p.resolve({ value: undefined, done: true });
    else p.reject(new ChannelClosedError(`receive on closed ${channel}: closed and drained`));
  }
}

/** Rejects every receive in `parked` (emptied) with `error`. */
export function failAll(parked: Parked[], error: unknown): void {
  for (const p of parked.splice(0)) {
    p.cleanUp();
    p.reject(error);
  }
}
