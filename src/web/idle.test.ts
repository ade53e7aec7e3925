import { describe, expect, it } from 'vitest';
import { IdleTimer, type IdleClock } from './idle.js';

/** A hand-driven clock: time moves only when the test says so. */
function fakeClock() {
  let now = 0;
  let timers: Array<{ at: number; callback: () => void; id: number }> = [];
  let nextId = 1;
  const clock: IdleClock & { advance(ms: number): void; jump(ms: number): void } = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.callback();
      }
      now = end;
    },
    /** The wall clock moves but no timer fires: a laptop asleep. */
    jump(ms) {
      now += ms;
    },
  };
  return clock;
}

describe('idle lock timer', () => {
  it('fires once after the timeout without activity', () => {
    const clock = fakeClock();
    let fired = 0;
    new IdleTimer(1000, () => fired++, clock);
    clock.advance(999);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    clock.advance(5000);
    expect(fired).toBe(1);
  });

  it('is held off by activity', () => {
    const clock = fakeClock();
    let fired = 0;
    const timer = new IdleTimer(1000, () => fired++, clock);
    for (let i = 0; i < 5; i++) {
      clock.advance(800);
      timer.activity();
    }
    expect(fired).toBe(0);
    clock.advance(1000);
    expect(fired).toBe(1);
  });

  it('does not fire after stop', () => {
    const clock = fakeClock();
    let fired = 0;
    const timer = new IdleTimer(1000, () => fired++, clock);
    timer.stop();
    clock.advance(2000);
    expect(fired).toBe(0);
  });

  it('locks on the first activity after the machine slept past the timeout', () => {
    const clock = fakeClock();
    let fired = 0;
    const timer = new IdleTimer(1000, () => fired++, clock);
    clock.jump(5000);
    timer.activity();
    expect(fired).toBe(1);
  });
});
