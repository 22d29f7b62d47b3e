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
 * A select case on a remote channel (lib/worker/select.ts) is a request answered by
 * several messages, so that the select's thread decides: a receive case (`sr`) is
 * offered a value tentatively (`o`), which the select commits (`a`) or declines (`n`:
 * the owner gives it back to the channel's front); a send case (`ss`) is told when the
 * channel could take its value (`ready`), and the owner sends it only when the select,
 * having shut out every other case, says `go` — then `ok`, or `missed` if the room went
 * in the meantime (it waits for the next `ready`; `again` asks it to look once more).
 * docs/worker.md gives the argument.
 *
 * Peers also answer `peek` with `seen`, their parked parties, for the deadlock report
 * across threads (lib/worker/peers.ts).
 *
 * @internal
 */

/**
 * A value for a slot reserved by a credit, when it is a primitive: posted as it is, with no
 * envelope (an object around each value halves the rate a port carries small values).
 * Every other message is an object: a `Request`.
 */
export type Primitive = string | number | bigint | boolean | null | undefined;

/** From a remote thread to the owner (besides a `Primitive` put). */
export type Request =
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
  | { t: 'u'; n: number }
  /** Select receive case of select `s` (an id of the remote thread's): offer a value tentatively (`o`), to be committed (`a`) or declined (`n`). */
  | { t: 'sr'; id: number; s: number }
  /** Select send case of `v`: say `ready` when the channel could take it; send it only on `go`. */
  | { t: 'ss'; id: number; s: number; v: unknown; x?: true }
  /** The select is shut to every other case: send select-send `id`'s value now if the channel takes it. */
  | { t: 'go'; id: number }
  /** Look again whether select-send `id` could be sent (a `ready` came while the select was busy). */
  | { t: 'again'; id: number }
  /** The select declined offered value `id`: give it back to the channel. */
  | { t: 'n'; id: number };

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
  | { t: 'err'; id: number; name: string; message: string; closed?: true }
  /** Select receive `id` took `v` tentatively: commit (`a`) or decline (`n`). */
  | { t: 'o'; id: number; v: unknown; x?: true }
  /** Select send `id` could be sent now. */
  | { t: 'ready'; id: number }
  /** `go` came too late: select send `id` could no longer be sent; it waits for the next `ready`. */
  | { t: 'missed'; id: number };
