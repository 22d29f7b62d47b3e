/**
 * A remote end's credits (lib/worker/protocol.ts): buffer slots the channel's owner reserved
 * for this thread's sends, granted in the reply to a send. While one is held, a send posts
 * its value as a put and is complete — its slot waits for it at the owner. Credits still
 * unused at the end of this thread's turn go back, so that a thread that stops sending
 * holds no room.
 *
 * @internal
 */
import type { MessagePort } from 'node:worker_threads';
import { typeName } from './clone';
import type { Primitive, Request } from './protocol';

type Post = (m: Request | Primitive, transfer?: (ArrayBuffer | MessagePort)[]) => void;

/** A value that crosses as it is, without an envelope (protocol.ts, `Primitive`). */
function isPrimitive(value: unknown): value is Primitive {
  const type = typeof value;
  return value === null || (type !== 'object' && type !== 'function' && type !== 'symbol');
}

export class Credits {
  #count = 0;
  /** A check that gives back the unused ones is scheduled. */
  #returning = false;

  /** `post` sends a message to the owner; `gone` says the owner can no longer be reached. */
  constructor(
    private readonly post: Post,
    private readonly gone: () => boolean,
  ) {}

  /** At least one is held. */
  get held(): boolean {
    return this.#count !== 0;
  }

  /**
   * Sends `value` on a credit, if one is held: posted, and so complete (`true`); `false`
   * with none. A value that cannot be copied is a `TypeError` naming `where` and its type,
   * and the credit is kept. `check` refuses what the structured clone would mangle.
   */
  put(value: unknown, thrown: boolean, transfer: readonly (ArrayBuffer | MessagePort)[] | undefined, where: string, check: (v: unknown) => void): boolean {
    if (this.#count === 0) return false;
    try {
      if (!thrown) check(value);
      this.post(thrown ? { t: 'p', v: value, x: true } : isPrimitive(value) ? value : { t: 'p', v: value }, transfer === undefined ? undefined : [...transfer]);
    } catch (e) {
      throw new TypeError(`${where}: a value of type ${typeName(value)} cannot be copied to another thread (${e instanceof Error ? e.message : String(e)}); nothing was sent`);
    }
    this.#count--;
    return true;
  }

  /** `n` granted: those still unused at the end of this turn go back to the owner. */
  grant(n: number): void {
    this.#count += n;
    if (this.#returning) return;
    this.#returning = true;
    setImmediate(() => {
      this.#returning = false;
      if (this.#count === 0 || this.gone()) return;
      this.post({ t: 'u', n: this.#count });
      this.#count = 0;
    });
  }
}
