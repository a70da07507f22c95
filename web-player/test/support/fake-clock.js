// A clock tests move by hand: timers run in time order as it advances, with the promise jobs they
// start settled in between, so engine code that mixes timers and promises runs as it would live.
import { setImmediate as flushed } from 'node:timers/promises';

export class FakeClock {
  constructor(start = 1000) {
    this.time = start;
    this.nextId = 1;
    /** @type {Map<number, {at: number, fn: () => void}>} */
    this.timers = new Map();
    /** @type {Set<Promise<unknown>>} */
    this.pending = new Set();
    this.now = () => this.time;
    this.setTimeout = (fn, ms) => {
      const id = this.nextId++;
      this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
      return id;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
  }

  /**
   * Real asynchronous work the clock waits for before it moves on (WebCrypto runs on libuv's
   * threads, which a few turns of the event loop do not wait for on a busy machine): fake time must
   * not run past the deadlines of work that has not finished for real. Returns `promise`.
   */
  realWork(promise) {
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise)).catch(() => {});
    return promise;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way. */
  async advance(ms) {
    const target = this.time + ms;
    await this.settle();
    for (;;) {
      let next = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= target && (next === null || timer.at < next[1].at)) next = [id, timer];
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = Math.max(this.time, next[1].at);
      next[1].fn();
      await this.settle();
    }
    this.time = target;
    await this.settle();
  }

  /** Lets pending promise jobs run, and the real work they wait for finish. */
  async settle() {
    await settle();
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
      await settle();
    }
  }
}

/** Lets pending promise jobs (and what they start) run. */
export async function settle() {
  for (let i = 0; i < 5; i++) await flushed();
}
