/**
 * Record and replay of the library's scheduling decisions.
 *
 * The run loop makes no choices: it is FIFO, so a program whose own inputs are the same
 * (seed your randomness) and whose outside events (timers, I/O) come in the same order
 * runs the same way every time. The library's choices are made in one place: every
 * call site that chooses — select's pick among ready cases, seeded by `setRandomSeed` —
 * asks {@link decide}, which normally draws from the library's generator. A *decision
 * source* plugged in here can record those draws, or dictate them: a failing run's
 * decisions, saved as JSON, replay exactly, even when the run was not seeded.
 *
 * The call sites ask lib/select/choice.ts's `decide()`; this file plugs a source in there.
 */
import { show } from '../base/validate';
import { type DecisionSource, setDecisionSource } from '../select/choice';

export type { DecisionSource } from '../select/choice';

/** One choice: `choice` in `[0, n)`, made at `where` (`'select'`, …). */
export interface Decision {
  /** Where the choice was made: `'select'`, … */
  where: string;
  /** How many options there were. */
  n: number;
  /** The option taken, in `[0, n)`. */
  choice: number;
}

function plug(where: string, s: DecisionSource): void {
  const before = setDecisionSource(s);
  if (before === null) return;
  setDecisionSource(before);
  throw new Error(`${where}: decisions are already being recorded or replayed; stop() that first`);
}

/** Unplugs `s` if it is still the one plugged in. */
function unplug(s: DecisionSource): void {
  const now = setDecisionSource(null);
  if (now !== s) setDecisionSource(now);
}

/** A recording of the library's choices, from {@link recordDecisions}. */
export interface DecisionRecording {
  /** The choices made so far, in order. */
  readonly decisions: readonly Decision[];
  /** Stops recording (idempotent) and returns the decisions. */
  stop(): Decision[];
}

/**
 * Records every choice the library makes from now on, until `stop()`. Save
 * `recording.decisions` (JSON) with a failing run's report; {@link replayDecisions}
 * makes the same choices again.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * const recording = recordDecisions();
 * try { await scenario(); } catch (e) {
 *   writeFileSync('decisions.json', JSON.stringify(recording.stop()));
 *   throw e;
 * }
 * ```
 */
export function recordDecisions(): DecisionRecording {
  const decisions: Decision[] = [];
  const s: DecisionSource = {
    choose(n, where, random) {
      const choice = random(n);
      decisions.push({ where, n, choice });
      return choice;
    },
  };
  plug('recordDecisions()', s);
  return {
    decisions,
    stop() {
      unplug(s);
      return decisions.slice();
    },
  };
}

/** A replay in progress, from {@link replayDecisions}. */
export interface DecisionReplay {
  /** Choices replayed so far. */
  readonly position: number;
  /**
   * Where the run stopped following the recording: the program asked for a choice the
   * recording does not hold (another place, another number of options, or past its
   * end). From there on choices are drawn as usual. `null` while it follows.
   */
  readonly diverged: {
    /** The position in the recording where the run left it. */
    at: number;
    /** The recorded decision at that position; `null` past the recording's end. */
    expected: Decision | null;
    /** What the program asked for instead. */
    asked: {
      /** Where the choice was asked for. */
      where: string;
      /** How many options it had. */
      n: number;
    };
  } | null;
  /** Stops replaying (idempotent). */
  stop(): void;
}

/**
 * Makes the library's choices those of a recording, in order, until `stop()`.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const replay = replayDecisions(JSON.parse(readFileSync('decisions.json', 'utf8')));
 * await scenario(); // the same selects win as in the recorded run
 * replay.stop();
 * if (replay.diverged) console.warn('the run left the recording at', replay.diverged.at);
 * ```
 */
export function replayDecisions(decisions: readonly Decision[]): DecisionReplay {
  if (!Array.isArray(decisions)) throw new TypeError(`replayDecisions(): decisions must be an array, received ${show(decisions)}`);
  decisions.forEach((d, i) => {
    if (d === null || typeof d !== 'object' || !Number.isInteger(d.n) || !Number.isInteger(d.choice) || d.choice < 0 || d.choice >= d.n || typeof d.where !== 'string') {
      throw new TypeError(`replayDecisions(): decision ${i} must be { where, n, choice } with 0 <= choice < n, received ${show(d)}`);
    }
  });
  const list = decisions.slice();
  const state: { position: number; diverged: DecisionReplay['diverged'] } = { position: 0, diverged: null };
  const s: DecisionSource = {
    choose(n, where, random) {
      if (state.diverged !== null) return random(n);
      const d = list[state.position];
      if (d === undefined || d.n !== n || d.where !== where) {
        state.diverged = { at: state.position, expected: d ?? null, asked: { where, n } };
        return random(n);
      }
      state.position++;
      return d.choice;
    },
  };
  plug('replayDecisions()', s);
  return {
    get position() {
      return state.position;
    },
    get diverged() {
      return state.diverged;
    },
    stop() {
      unplug(s);
    },
  };
}
