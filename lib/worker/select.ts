/**
 * A select with cases on channels of other threads (`remote.receiveCase()`,
 * `remote.sendCase(v)`), mixed freely with local cases. `select()` (lib/select/select.ts)
 * hands such a select here. It completes exactly one case and the others take and leave
 * nothing; the argument is in docs/worker.md. In short:
 *
 *  - The select's own thread decides. It parks its local cases together with one extra
 *    receive case on a private rendezvous channel, `wake`. Whatever comes from another
 *    thread becomes a `wake.trySend(...)` in this thread: it succeeds exactly when the
 *    parked select has not been settled yet, and settling it takes every local case off
 *    its queue in the same step (a local select's own atomicity). So "did this remote
 *    case win?" is a synchronous question answered in one place.
 *  - A remote receive case is offered a value the owner took tentatively (`o`). Won, the
 *    select commits it (`a`); lost, it declines (`n`) and the owner puts it back at the
 *    channel's front (`_giveBack`), the next value received: nothing lost, nothing twice.
 *  - A remote send case is never sent before the select says so. Its owner says `ready`
 *    when the channel could take the value; if that wins the wake, the select is shut to
 *    every other case (its local cases are off their queues, offers are declined) and it
 *    says `go`; the owner sends with `trySend` — `ok`, the case completed; `missed` (the
 *    room went during the round trip), the select parks again and waits.
 *  - Once settled, the select cancels its other remote cases; a late offer is declined.
 *
 * @internal
 */
import { ChannelClosedError } from '../base/errors';
import type { Case } from '../channel/case';
import { Channel } from '../channel/channel';
import { type Cases, _setSelectAcross, select, trySelect } from '../select/select';
import { isRemoteCase, type RemoteReceiveCase, type RemoteSendCase } from './cases';
import { ChannelGoneError } from './errors';
import type { Reply } from './protocol';

/** What wakes the parked select from another thread. */
type Won = { k: 'value'; e: Entry; v: unknown } | { k: 'end'; e: Entry } | { k: 'fail'; error: unknown } | { k: 'lock'; e: Entry };

/** Numbers selects for their owners, which must know a select's cases as one (`s`). */
let selects = 0;

/** One remote case of a select, and its request at the channel's owner. */
class Entry {
  /** The select is over: the owner was told to stop looking. */
  private cancelled = false;
  /** The request outstanding at the owner, `-1` when none. */
  private id = -1;
  /** A `ready` came while the select could not take it: ask `again` when it waits next. */
  private stale = false;
  /** The owner is gone. */
  private gone = false;
  /** Hears the answer to `go`. */
  private onGo: ((r: Reply | null) => void) | null = null;

  constructor(
    readonly key: string,
    private readonly c: RemoteReceiveCase | RemoteSendCase,
    private readonly wake: Channel<Won>,
    private readonly sel: number,
  ) {}

  /** The select is about to wait: the owner must be looking out for this case. */
  start(): void {
    const ch = this.c.channel;
    if (this.id >= 0) {
      if (this.stale) ch._casePost({ t: 'again', id: this.id });
      this.stale = false;
      return;
    }
    const id = ch._id();
    ch._caseStart(this.c._send ? { t: 'ss', id, s: this.sel, v: this.c.value } : { t: 'sr', id, s: this.sel }, (r) => this.hear(r));
    this.id = id;
  }

  /** The select is over: the owner stops looking (a value offered meanwhile is declined in `hear`). */
  cancel(): void {
    this.cancelled = true;
    if (this.id >= 0) this.c.channel._casePost({ t: 'c', id: this.id });
  }

  /** The select is shut to every other case: asks the owner to send the value now. */
  send(): Promise<'ok' | 'missed'> {
    if (this.gone) return Promise.reject(this.goneError());
    return new Promise((resolve, reject) => {
      this.onGo = (r) => {
        this.onGo = null;
        if (r === null) reject(this.goneError());
        else if (r.t === 'ok' || r.t === 'missed') resolve(r.t);
        else if (r.t === 'err') reject(this.error(r));
      };
      this.c.channel._casePost({ t: 'go', id: this.id });
    });
  }

  private over(): void {
    this.c.channel._caseEnd(this.id);
    this.id = -1;
  }

  private hear(r: Reply | null): void {
    if (r === null) {
      this.gone = true;
      this.id = -1;
      if (this.onGo !== null) this.onGo(null);
      else this.wake.trySend({ k: 'fail', error: this.goneError() });
      return;
    }
    const ch = this.c.channel;
    switch (r.t) {
      case 'o': {
        this.over();
        const won: Won = r.x === true ? { k: 'fail', error: r.v } : { k: 'value', e: this, v: r.v };
        ch._casePost({ t: this.wake.trySend(won) ? 'a' : 'n', id: r.id });
        return;
      }
      case 'end':
        this.over();
        this.wake.trySend({ k: 'end', e: this });
        return;
      case 'ready':
        if (!this.wake.trySend({ k: 'lock', e: this })) this.stale = true;
        return;
      case 'missed':
        this.onGo?.(r);
        return;
      case 'ok':
        this.over();
        this.onGo?.(r);
        return;
      case 'err':
        this.over();
        if (this.onGo !== null) this.onGo(r);
        else this.wake.trySend({ k: 'fail', error: this.error(r) });
        return;
      default: // 'aborted', 'v' (not sent for a case)
        this.over();
        // Not by this select: its owner cleared the way for a send case of this select
        // that then missed; this case must wait again.
        if (!this.cancelled) this.start();
    }
  }

  private goneError(): ChannelGoneError {
    return new ChannelGoneError(`select() on ${this.c.channel.toString()}: the channel's owner thread has ended`, this.c._send ? this.c.value : undefined);
  }

  private error(r: Reply & { t: 'err' }): Error {
    if (r.closed === true) return new ChannelClosedError(`${r.message} (case ${JSON.stringify(this.key)})`, this.c._send ? this.c.value : undefined);
    return r.name === 'TypeError' ? new TypeError(r.message) : Object.assign(new Error(r.message), { name: r.name });
  }
}

/** How a deadlock report names a remote case (as the wake channel's name). */
function describe(key: string, c: RemoteReceiveCase | RemoteSendCase): string {
  return `case ${key} ${c._send ? 'sends on' : 'receives on'} ${c.channel._where().replace(/"/g, '')}`;
}

/**
 * Carries out a select with at least one remote case (docs/worker.md). Local cases ready
 * now win at once, without a round trip; otherwise it waits on all of them.
 */
async function selectAcross(cases: Cases, options: { signal: AbortSignal | undefined; priority: boolean }): Promise<unknown> {
  const { signal, priority } = options;
  if (signal !== undefined && signal.aborted) throw signal.reason;
  const names = Object.keys(cases).filter((k) => isRemoteCase(cases[k]));
  const wake = new Channel<Won>({ name: `other threads' channels (${names.map((k) => describe(k, cases[k] as RemoteReceiveCase | RemoteSendCase)).join('; ')})` });
  const local: Record<string, Case> = {};
  const entries: Entry[] = [];
  const sel = ++selects;
  let hasLocal = false;
  for (const key of Object.keys(cases)) {
    const c = cases[key] as unknown;
    if (isRemoteCase(c)) entries.push(new Entry(key, c, wake, sel));
    else {
      local[key] = c as Case;
      hasLocal = true;
    }
  }
  let wakeKey = 'wake';
  while (wakeKey in cases) wakeKey += "'";
  const waiting: Cases = { ...local, [wakeKey]: wake.receiveCase() };
  try {
    for (;;) {
      if (hasLocal) {
        const r = trySelect(local, { priority });
        if (r !== null) return r;
      }
      for (const e of entries) e.start();
      const r = await select(waiting, { signal, priority });
      if (r.key !== wakeKey) return r;
      const won = r.value as Won;
      if (won.k === 'value') return { key: won.e.key, value: won.v, done: false };
      if (won.k === 'end') return { key: won.e.key, value: undefined, done: true };
      if (won.k === 'fail') throw won.error;
      if ((await won.e.send()) === 'ok') return { key: won.e.key, value: undefined, done: false };
    }
  } finally {
    for (const e of entries) e.cancel();
  }
}

let installed = false;

/** Makes `select()` hand selects with remote cases here; called when the first remote case is made (not at load: no module of lib/ acts at load). */
export function installSelect(): void {
  if (installed) return;
  installed = true;
  _setSelectAcross({ is: isRemoteCase, select: selectAcross });
}
