/**
 * The messages on a shared channel's port (lib/worker/share.ts serves them at the channel's
 * owner; lib/worker/remote.ts sends them from other threads). One port per shared end, so
 * one remote thread's messages arrive in the order it posted them.
 *
 * A remote operation is a request with a fresh `id`, answered by exactly one reply with
 * that `id`; a cancel (`c`) asks the owner to abort it, and the reply then says what
 * happened — `aborted`, or the operation completed first and its outcome stands. A value
 * received (`v`) is acknowledged (`a`) by the remote as it arrives; the owner gives back
 * to the channel every value not acknowledged when the port closes.
 *
 * Credits: the reply to a send on a buffered channel may grant `c` buffer slots reserved
 * for this remote (`Channel._reserve`). Each of its next sends then goes as a put (`p`)
 * with no id and no reply, and completes at once: its slot is waiting for it. Credits not
 * used by the end of the remote thread's turn go back (`u`); when the port closes, the
 * owner takes back any still out.
 *
 * @internal
 */

/**
 * A value for a slot reserved by a credit, when it is a primitive: posted as it is, with no
 * envelope (an object around each value halves the rate a port carries small values).
 * Every other message is an object.
 */
export type Primitive = string | number | bigint | boolean | null | undefined;

/** From a remote thread to the owner. */
export type Request =
  | Primitive
  /** Send `v` (an error to throw at the receiver when `x`). */
  | { t: 's'; id: number; v: unknown; x?: true }
  /** Receive. */
  | { t: 'r'; id: number }
  /** Abort operation `id` if it has not completed. */
  | { t: 'c'; id: number }
  /** Received value `id` arrived. */
  | { t: 'a'; id: number }
  /** Close the channel. */
  | { t: 'close'; id: number }
  /** A value for a slot reserved by a credit that is not a primitive (an error to throw at the receiver when `x`). */
  | { t: 'p'; v: unknown; x?: true }
  /** Gives back `n` credits unused. */
  | { t: 'u'; n: number };

/** From the owner to a remote thread. */
export type Reply =
  /** The send (or close) completed; `c` credits granted with it. */
  | { t: 'ok'; id: number; c?: number }
  /** Received `v` (an error sent with `sendThrow` when `x`). */
  | { t: 'v'; id: number; v: unknown; x?: true }
  /** End-of-channel: closed and drained. */
  | { t: 'end'; id: number }
  /** Aborted by a cancel before it completed: nothing happened. */
  | { t: 'aborted'; id: number }
  /** Failed: `closed` for a send on a closing channel; else `e` is the error (`name`, `message`). */
  | { t: 'err'; id: number; name: string; message: string; closed?: true };
