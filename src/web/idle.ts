/** Keys are wiped after this long without the person touching the page: a laptop left open must not stay unlocked. */
export const idleLockMs = 10 * 60 * 1000;

/** What counts as the person being there. Mouse movement alone does not: a bumped table is not presence. */
export const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

export interface IdleClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * Calls `onIdle` once after `timeoutMs` without activity. Activity only
 * records a time (events fire often); the timer re-arms itself when it wakes
 * early. It also checks the wall clock, because timers are paused while a
 * laptop sleeps and a sleeping laptop is exactly the case to lock.
 */
export class IdleTimer {
  private last: number;
  private handle: unknown = null;
  private stopped = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
    private readonly clock: IdleClock = systemClock,
  ) {
    this.last = clock.now();
    this.arm(timeoutMs);
  }

  activity(): void {
    if (this.stopped) return;
    // A wake-up from sleep delivers a click before the overdue timer fires: the click must not rescue the keys.
    if (this.clock.now() - this.last >= this.timeoutMs) {
      this.fire();
      return;
    }
    this.last = this.clock.now();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
  }

  private arm(ms: number): void {
    this.handle = this.clock.setTimeout(() => this.check(), ms);
  }

  private check(): void {
    if (this.stopped) return;
    const left = this.last + this.timeoutMs - this.clock.now();
    if (left <= 0) this.fire();
    else this.arm(left);
  }

  private fire(): void {
    this.stop();
    this.onIdle();
  }
}
