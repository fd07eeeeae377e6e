/**
 * Deadlines of one duration, sharing one timer. Every delivery gets a deadline (its body read,
 * its handlers) and nearly all are met within microseconds: a `setTimeout` + `clearTimeout` per
 * delivery cost a timer object, a timer-list insertion and libuv ref/unref calls each time
 * (~250 against ~200 ns here in a tight loop, and a fifth more garbage; end to end the difference
 * was within the noise of bench/e2e.ts). With one duration, deadlines fall due in the order they
 * were set, so a FIFO and one timer armed for its oldest entry do.
 *
 * The timer is unref'd: a pending deadline does not by itself keep the process alive (the
 * connection it guards, the host's loop or the caller's own work does).
 */

/** One deadline; `expire` is cleared once it is met or has fired. */
export interface Deadline {
  readonly due: number;
  expire: (() => void) | undefined;
}

/** Compact the FIFO once it holds this many entries and most of them were met. */
const COMPACT_AT = 1024;

export class DeadlineQueue {
  // Slots [head, tail) hold the deadlines not yet dropped; slots are reused from 0 once the queue
  // empties (the array is not truncated, which would free its slots to be grown again next time).
  private entries: Deadline[] = [];
  private head = 0;
  private tail = 0;
  private live = 0;
  private timer: unknown;
  /** The `setTimeout` the timer was armed with: fake timers in tests replace it, and a timer armed with the other one never fires. */
  private armedWith: typeof setTimeout | undefined;
  /** When the armed timer is meant to fire, on the `now()` clock. */
  private armedFor = 0;
  private generation = 0;

  constructor(private readonly ms: number) {}

  /** Calls `expire` once `ms` have passed, unless `meet` is called first. */
  add(expire: () => void): Deadline {
    const deadline: Deadline = { due: now() + this.ms, expire };
    this.entries[this.tail++] = deadline;
    this.live++;
    if (this.timer === undefined) {
      this.arm(this.ms, deadline.due);
    } else if (this.armedWith !== setTimeout) {
      // Fake timers were installed or removed since: the armed timer belongs to the other clock.
      const first = this.entries[this.head] as Deadline;
      this.arm(Math.max(1, Math.ceil(first.due - now())), first.due);
    }
    return deadline;
  }

  /** The work finished in time: the deadline will not fire. */
  meet(deadline: Deadline): void {
    if (deadline.expire === undefined) return;
    deadline.expire = undefined;
    this.live--;
    this.dropMet();
  }

  /** Deadlines still pending. */
  get size(): number {
    return this.live;
  }

  /** Entries held, met ones included: bounded by compaction however long one deadline stays pending. */
  get held(): number {
    return this.tail - this.head;
  }

  private arm(delay: number, due: number): void {
    const generation = ++this.generation;
    this.armedWith = setTimeout;
    this.armedFor = due;
    const timer = setTimeout(() => this.fire(generation), delay);
    if (typeof timer === 'object' && timer !== null && 'unref' in timer && typeof timer.unref === 'function') timer.unref();
    this.timer = timer;
  }

  private fire(generation: number): void {
    if (generation !== this.generation) return; // superseded by a timer armed since
    this.timer = undefined;
    // A timer never fires early; under fake timers the clock may not have moved at all, so the
    // time it was armed for counts as reached.
    const reached = Math.max(now(), this.armedFor);
    while (this.head < this.tail) {
      const deadline = this.entries[this.head] as Deadline;
      if (deadline.expire !== undefined && deadline.due > reached) {
        this.arm(Math.max(1, Math.ceil(deadline.due - reached)), deadline.due);
        return;
      }
      this.head++;
      const expire = deadline.expire;
      if (expire !== undefined) {
        deadline.expire = undefined;
        this.live--;
        expire();
      }
    }
    this.reset();
  }

  /** Drops met deadlines from the front; compacts when met ones pile up behind a slow live one. */
  private dropMet(): void {
    const { entries } = this;
    while (this.head < this.tail && (entries[this.head] as Deadline).expire === undefined) this.head++;
    if (this.head === this.tail) {
      this.reset();
      return;
    }
    const held = this.tail - this.head;
    if (held >= COMPACT_AT && this.live * 4 < held) {
      this.entries = entries.slice(this.head, this.tail).filter((deadline) => deadline.expire !== undefined);
      this.head = 0;
      this.tail = this.entries.length;
    }
  }

  /** Empty: the armed timer, if any, stays (unref'd) and finds nothing when it fires. Met deadlines left in the slots are overwritten as new ones come. */
  private reset(): void {
    this.head = 0;
    this.tail = 0;
  }
}

function now(): number {
  return performance.now();
}

const queues = new Map<number, DeadlineQueue>();

/** The shared queue for deadlines of `ms` milliseconds. */
export function deadlinesOf(ms: number): DeadlineQueue {
  let queue = queues.get(ms);
  if (queue === undefined) {
    queue = new DeadlineQueue(ms);
    queues.set(ms, queue);
  }
  return queue;
}
