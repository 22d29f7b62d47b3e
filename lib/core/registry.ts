/**
 * The registry of live tasklets, in creation order, for deadlock reports, snapshots and
 * the loop's own checks.
 */
import type { Tasklet } from './tasklet';

/**
 * The live tasklets in creation order: an intrusive doubly linked list through
 * `t._prev`/`t._next`. A Set would hash every tasklet (V8 then gives each one an
 * identity hash): a measurable cost per tasklet at a million of them.
 */
export class Registry {
  private head: Tasklet | null = null;
  private tail: Tasklet | null = null;
  size = 0;

  add(t: Tasklet): void {
    t._older = this.tail;
    t._newer = null;
    if (this.tail === null) this.head = t;
    else this.tail._newer = t;
    this.tail = t;
    this.size++;
  }

  delete(t: Tasklet): void {
    if (t._older === null) this.head = t._newer;
    else t._older._newer = t._newer;
    if (t._newer === null) this.tail = t._older;
    else t._newer._older = t._older;
    t._older = t._newer = null;
    this.size--;
  }

  *[Symbol.iterator](): IterableIterator<Tasklet> {
    for (let t = this.head; t !== null; t = t._newer) yield t;
  }
}
