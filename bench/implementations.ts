/**
 * The implementations the suite compares: this library, the two floors, and the peers,
 * in the order the report's columns list them. Each has a module in `bench/impl/`.
 */

export type Kind = 'library' | 'floor' | 'peer';

export interface Implementation {
  /** Module name in bench/impl/, and the name on the command line. */
  name: string;
  /** Column heading in the report. */
  label: string;
  kind: Kind;
  /** The npm package a peer comes from (pinned in devDependencies). */
  pkg?: string;
  /** Said under the table when the peer cannot express the workload exactly. */
  note?: string;
}

export const IMPLEMENTATIONS: readonly Implementation[] = [
  { name: 'tasklets', label: 'tasklets', kind: 'library' },
  { name: 'bare', label: 'bare floor', kind: 'floor' },
  { name: 'same-shape', label: 'same-shape floor', kind: 'floor' },
  { name: 'medium', label: 'medium', kind: 'peer', pkg: 'medium' },
  { name: 'async-channel', label: 'async-channel', kind: 'peer', pkg: 'async-channel' },
  {
    name: 'thi-ng-csp',
    label: '@thi.ng/csp†',
    kind: 'peer',
    pkg: '@thi.ng/csp',
    note: 'no rendezvous channel: the smallest buffer, one slot, is used (a send completes once buffered)',
  },
  { name: 'ts-chan', label: 'ts-chan', kind: 'peer', pkg: 'ts-chan' },
  { name: 'js-csp', label: 'js-csp', kind: 'peer', pkg: 'js-csp' },
  {
    name: 'effection',
    label: 'effection*',
    kind: 'peer',
    pkg: 'effection',
    note: 'no blocking send: each party receives from its own unbounded `createQueue()` (its `Channel` broadcasts)',
  },
  {
    name: 'channel-ts',
    label: 'channel-ts*',
    kind: 'peer',
    pkg: 'channel-ts',
    note: 'no blocking send: `SimpleChannel` is an unbounded queue and `send` returns nothing to await',
  },
];

/** The peers with a blocking send that the speed target is set against: the fastest of these, per case. */
export const TARGET_PEERS: readonly string[] = ['medium', 'async-channel', 'thi-ng-csp'];
