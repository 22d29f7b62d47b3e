/**
 * The job of bench/pool.ts: a 64 KB block hashed `rounds` times with node:crypto's SHA-256,
 * CPU-bound. Run by itself in a pool's worker (`RUN_AS_POOL_WORKER` in its `eval` source),
 * it hands each job to `hash` through `work()`.
 */
import { createHash } from 'node:crypto';
import { work } from '../lib/worker';

/** A job: the block and how many times to hash it. */
export interface HashJob {
  block: Uint8Array;
  rounds: number;
}

/** The block's SHA-256, `rounds` times over, in hex. */
export function hash({ block, rounds }: HashJob): string {
  const h = createHash('sha256');
  for (let r = 0; r < rounds; r++) h.update(block);
  return h.digest('hex');
}

if ((globalThis as { RUN_AS_POOL_WORKER?: boolean }).RUN_AS_POOL_WORKER === true) void work(hash);
