/** The channel toolbox: combinators built on channels and select. Only re-exports. */
export { Broadcast, mult } from './broadcast';
export type { TapOptions } from './broadcast';
export type { ToolboxOptions } from './common';
export { fromIterable } from './from';
export { merge } from './merge';
export { pipeline } from './pipeline';
export { pub, PubSub } from './pubsub';
export { ticker, Ticker } from './ticker';
export { withTimeout } from './timeout';
