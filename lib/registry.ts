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
    t._prev = this.tail;
    t._next = null;
    if (this.tail === null) this.head = t;
    else this.tail._next = t;
    this.tail = t;
    this.size++;
  }

  delete(t: Tasklet): void {
    if (t._prev === null) this.head = t._next;
    else t._prev._next = t._next;
    if (t._next === null) this.tail = t._prev;
    else t._next._prev = t._prev;
    t._prev = t._next = null;
    this.size--;
  }

  *[Symbol.iterator](): IterableIterator<Tasklet> {
    for (let t = this.head; t !== null; t = t._next) yield t;
  }
}

