/**
 * What travels on the wire for a channel across processes: a value or a thrown error in
 * a JSON envelope, and the small control words the two ends exchange.
 *
 * A value is `{"v": value}` (no `v`: `undefined`); an error sent with `sendThrow` is
 * `{"x": {name, message, stack, cause}}`, `cause` in the same form when it is an error and
 * `{"v": value}` otherwise. The receiver rebuilds an `Error` with that `name`, `message`,
 * `stack` and `cause`: the error's class and its other own properties are lost. Durable
 * channels add the sender's id and sequence number (`i`, `n`) for the receiver's dedupe.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An error as it crosses: the parts that survive. */
interface ErrorShape {
  name: string;
  message: string;
  stack?: string;
  cause?: ErrorShape | { v: unknown };
}

/** The decoded envelope. */
export interface Envelope {
  /** Whether the value is an error to throw at the receiver. */
  thrown: boolean;
  value: unknown;
  /** A durable channel's sender id and sequence number. */
  id?: string;
  seq?: number;
}

const MAX_CAUSES = 8;

function errorShape(error: Error, depth: number): ErrorShape {
  const shape: ErrorShape = { name: String(error.name), message: String(error.message) };
  if (typeof error.stack === 'string') shape.stack = error.stack;
  if ('cause' in error && depth < MAX_CAUSES) shape.cause = error.cause instanceof Error ? errorShape(error.cause, depth + 1) : { v: error.cause };
  return shape;
}

function rebuild(shape: ErrorShape): Error {
  const error = new Error(shape.message);
  error.name = shape.name;
  if (shape.stack !== undefined) error.stack = shape.stack;
  if (shape.cause !== undefined) error.cause = 'v' in shape.cause ? shape.cause.v : rebuild(shape.cause);
  return error;
}

/**
 * Encodes a value (or, `thrown`, an error) for the wire. Throws a `TypeError` naming the
 * operation when JSON cannot carry it (a `BigInt`, a cycle): nothing is sent then.
 */
export function encode(where: string, value: unknown, thrown: boolean, id?: string, seq?: number): Uint8Array {
  try {
    // A value's envelope is written by hand: one `JSON.stringify` of the value, no envelope object.
    const tail = id === undefined ? '}' : `,"i":${JSON.stringify(id)},"n":${seq}}`;
    if (thrown)
      return encoder.encode(`{"x":${JSON.stringify(value instanceof Error ? errorShape(value, 0) : { name: 'Error', message: String(value), cause: { v: value } })}${tail}`);
    const v = JSON.stringify(value) as string | undefined; // undefined (or a function, a symbol): no `v`, as JSON leaves it out of an object
    return encoder.encode(v === undefined ? (id === undefined ? '{}' : `{${tail.slice(1)}`) : `{"v":${v}${tail}`);
  } catch (e) {
    throw new TypeError(`${where}: the value cannot be carried as JSON (${e instanceof Error ? e.message : String(e)}); nothing was sent`);
  }
}

/** Decodes what `encode` made. */
export function decode(data: Uint8Array): Envelope {
  const body = JSON.parse(decoder.decode(data)) as { v?: unknown; x?: ErrorShape; i?: string; n?: number };
  const envelope: Envelope = body.x !== undefined ? { thrown: true, value: rebuild(body.x) } : { thrown: false, value: body.v };
  if (body.i !== undefined) {
    envelope.id = body.i;
    envelope.seq = body.n;
  }
  return envelope;
}

/** A control word as bytes. */
export function word(w: string): Uint8Array {
  return encoder.encode(w);
}

/** A control word from bytes. */
export function readWord(data: Uint8Array): string {
  return decoder.decode(data);
}

/** Subjects a channel uses besides its own: `_tasklets.<subject>.<what>`. */
export function control(subject: string, what: 'ready' | 'ctl' | 'closed' | 'pending'): string {
  return `_tasklets.${subject}.${what}`;
}

/** Whether `s` is a subject a channel can live on: dot-separated tokens, no wildcards or spaces. */
export function validSubject(s: unknown): s is string {
  return typeof s === 'string' && /^[^\s.*>]+(\.[^\s.*>]+)*$/.test(s);
}
