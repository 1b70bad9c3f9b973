import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  clockSettings,
  DEFAULT_CLOCK_SETTINGS,
  flagFallsAt,
  hasFlagFallen,
  MAX_DELAY_MS,
  MAX_RESERVE_MS,
  newClock,
  nextGameClock,
  remaining,
  startClock,
  startingReserveMs,
  stopClock,
  switchClock,
  type ClockSettings,
  type ClockState,
} from '../../src/engine/clock.js';
import { EngineError, type EngineErrorCode } from '../../src/engine/errors.js';
import type { Seat } from '../../src/engine/record.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** An arbitrary wall-clock time, so that no test relies on starting at 0. */
const T0 = 1_700_000_000_000;

function assertEngineError(run: () => unknown, code: EngineErrorCode, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof EngineError && error.code === code && pattern.test(error.message));
}

/** A 5-point match clock: 12 s delay, 10 minutes each. */
function fivePointClock(): ClockState {
  return newClock(clockSettings(5), 5);
}

describe('clock settings', () => {
  it('default to a 12 s delay and 2 minutes of reserve per match point', () => {
    for (const [matchLength, reserve] of [[1, 2 * MINUTE], [5, 10 * MINUTE], [25, 50 * MINUTE]] as const) {
      const settings = clockSettings(matchLength);
      assert.equal(settings.delayMs, 12 * SECOND);
      assert.equal(startingReserveMs(settings, matchLength), reserve);
      const clock = newClock(settings, matchLength);
      assert.deepEqual(clock.reserveMs, [reserve, reserve]);
      assert.equal(clock.running, null);
      assert.equal(clock.periodStartedAt, null);
    }
  });

  it('give money play a 12 s delay and 5 minutes per game', () => {
    const settings = clockSettings(0);
    assert.equal(settings.delayMs, 12 * SECOND);
    assert.deepEqual(newClock(settings, 0).reserveMs, [5 * MINUTE, 5 * MINUTE]);
  });

  it('take overrides and keep the other defaults', () => {
    const settings = clockSettings(7, { delayMs: 8 * SECOND });
    assert.deepEqual(settings, { ...DEFAULT_CLOCK_SETTINGS, delayMs: 8 * SECOND });
    assert.equal(startingReserveMs(settings, 7), 14 * MINUTE);
    assert.equal(startingReserveMs(clockSettings(3, { reservePerPointMs: 0 }), 3), 0, 'delay only is allowed');
    assert.equal(clockSettings(3, { delayMs: 0 }).delayMs, 0, 'reserve only is allowed');
    assert.equal(clockSettings(1, { delayMs: MAX_DELAY_MS, reservePerPointMs: MAX_RESERVE_MS }).delayMs, MAX_DELAY_MS);
  });

  it('refuse negative, non-finite and absurd values', () => {
    const refused: [number, Partial<ClockSettings>, RegExp][] = [
      [5, { delayMs: -1 }, /delayMs/],
      [5, { delayMs: Number.NaN }, /delayMs.*NaN/],
      [5, { delayMs: Number.POSITIVE_INFINITY }, /delayMs/],
      [5, { delayMs: MAX_DELAY_MS + 1 }, /delayMs/],
      [5, { reservePerPointMs: -MINUTE }, /reservePerPointMs/],
      [5, { reservePerPointMs: MAX_RESERVE_MS + 1 }, /reservePerPointMs/],
      [25, { reservePerPointMs: HOUR }, /reserve of 90000000 ms/],
      [0, { moneyReservePerGameMs: Number.NaN }, /moneyReservePerGameMs/],
      [0, { moneyReservePerGameMs: 11 * HOUR }, /moneyReservePerGameMs/],
      [5, { delayMs: 0, reservePerPointMs: 0 }, /no delay and no reserve/],
      [0, { delayMs: 0, moneyReservePerGameMs: 0 }, /no delay and no reserve/],
      [-1, {}, /match length/],
      [26, {}, /match length/],
      [2.5, {}, /match length/],
    ];
    for (const [matchLength, overrides, pattern] of refused) {
      assertEngineError(() => clockSettings(matchLength, overrides), 'INVALID_SETTINGS', pattern);
    }
    assertEngineError(() => newClock({ ...DEFAULT_CLOCK_SETTINGS, delayMs: -5 }, 5), 'INVALID_SETTINGS', /delayMs/);
  });
});

describe('a running clock', () => {
  it('uses the delay first, then the reserve', () => {
    const clock = startClock(fivePointClock(), 0, T0);
    assert.deepEqual(remaining(clock, 0, T0), { delayLeftMs: 12 * SECOND, reserveLeftMs: 10 * MINUTE });
    assert.deepEqual(remaining(clock, 0, T0 + 5 * SECOND), { delayLeftMs: 7 * SECOND, reserveLeftMs: 10 * MINUTE });
    assert.deepEqual(remaining(clock, 0, T0 + 12 * SECOND), { delayLeftMs: 0, reserveLeftMs: 10 * MINUTE });
    assert.deepEqual(remaining(clock, 0, T0 + 20 * SECOND), { delayLeftMs: 0, reserveLeftMs: 10 * MINUTE - 8 * SECOND });
    assert.deepEqual(remaining(clock, 1, T0 + 20 * SECOND), { delayLeftMs: 12 * SECOND, reserveLeftMs: 10 * MINUTE }, 'the other seat is not charged');
    assert.deepEqual(clock.reserveMs, [10 * MINUTE, 10 * MINUTE], 'remaining changes nothing');
  });

  it('charges only the time beyond the delay when it stops', () => {
    const quick = stopClock(startClock(fivePointClock(), 1, T0), T0 + 11_999);
    assert.deepEqual(quick.reserveMs, [10 * MINUTE, 10 * MINUTE]);
    const slow = stopClock(startClock(fivePointClock(), 1, T0), T0 + 30 * SECOND);
    assert.deepEqual(slow.reserveMs, [10 * MINUTE, 10 * MINUTE - 18 * SECOND]);
    assert.equal(slow.running, null);
    assert.equal(flagFallsAt(slow), null);
  });

  it('never takes a reserve below zero', () => {
    const clock = stopClock(startClock(newClock(clockSettings(1), 1), 0, T0), T0 + HOUR);
    assert.deepEqual(clock.reserveMs, [0, 2 * MINUTE]);
  });

  it('says exactly when the flag falls', () => {
    const clock = startClock(fivePointClock(), 0, T0);
    const fallsAt = T0 + 12 * SECOND + 10 * MINUTE;
    assert.equal(flagFallsAt(clock), fallsAt);
    assert.equal(hasFlagFallen(clock, fallsAt - 1), null);
    assert.equal(remaining(clock, 0, fallsAt - 1).reserveLeftMs, 1);
    assert.equal(hasFlagFallen(clock, fallsAt), 0);
    assert.deepEqual(remaining(clock, 0, fallsAt), { delayLeftMs: 0, reserveLeftMs: 0 });
    assert.equal(hasFlagFallen(clock, fallsAt + HOUR), 0);
  });

  it('falls at the end of the delay for a seat with no reserve left', () => {
    const emptied = stopClock(startClock(newClock(clockSettings(1), 1), 1, T0), T0 + HOUR);
    const clock = startClock(emptied, 1, T0 + 2 * HOUR);
    assert.equal(flagFallsAt(clock), T0 + 2 * HOUR + 12 * SECOND);
    assert.equal(hasFlagFallen(clock, T0 + 2 * HOUR + 11 * SECOND), null, 'a move within the delay is still in time');
  });

  it('shows no fallen flag while stopped', () => {
    assert.equal(hasFlagFallen(fivePointClock(), T0 + 100 * HOUR), null);
  });
});

describe('starting, stopping and switching', () => {
  it('refuses to start a clock while one runs', () => {
    const clock = startClock(fivePointClock(), 0, T0);
    assertEngineError(() => startClock(clock, 1, T0 + SECOND), 'INVALID_ACTION', /seat 0 is already running/);
    assertEngineError(() => startClock(clock, 0, T0 + SECOND), 'INVALID_ACTION', /already running/);
  });

  it('leaves a stopped clock as it is when stopped again', () => {
    const clock = stopClock(startClock(fivePointClock(), 0, T0), T0 + MINUTE);
    assert.equal(stopClock(clock, T0 + 2 * MINUTE), clock);
  });

  it('switches by charging one seat and starting the other with a fresh delay', () => {
    const afterMove = switchClock(startClock(fivePointClock(), 0, T0), 1, T0 + 20 * SECOND);
    assert.equal(afterMove.running, 1);
    assert.equal(afterMove.periodStartedAt, T0 + 20 * SECOND);
    assert.deepEqual(afterMove.reserveMs, [10 * MINUTE - 8 * SECOND, 10 * MINUTE]);
    assert.deepEqual(remaining(afterMove, 1, T0 + 20 * SECOND), { delayLeftMs: 12 * SECOND, reserveLeftMs: 10 * MINUTE });
  });

  it('keeps the period of the seat already running, so a room may switch after every action', () => {
    const clock = startClock(fivePointClock(), 0, T0);
    const afterRoll = switchClock(clock, 0, T0 + 3 * SECOND);
    assert.equal(afterRoll, clock);
    assert.equal(remaining(afterRoll, 0, T0 + 15 * SECOND).delayLeftMs, 0, 'one delay per turn, not per action');
  });

  it('starts a stopped clock, and stops it when switched to nobody', () => {
    const started = switchClock(fivePointClock(), 1, T0);
    assert.equal(started.running, 1);
    const stopped = switchClock(started, null, T0 + 13 * SECOND);
    assert.equal(stopped.running, null);
    assert.deepEqual(stopped.reserveMs, [10 * MINUTE, 10 * MINUTE - SECOND]);
  });

  it('charges a double and its answer to the right seats', () => {
    let clock = startClock(fivePointClock(), 0, T0);
    clock = switchClock(clock, 1, T0 + 15 * SECOND); // seat 0 doubles after 15 s
    clock = switchClock(clock, 0, T0 + 45 * SECOND); // seat 1 takes after 30 s
    clock = switchClock(clock, 1, T0 + 65 * SECOND); // seat 0 rolls and moves in 20 s
    assert.deepEqual(clock.reserveMs, [10 * MINUTE - 3 * SECOND - 8 * SECOND, 10 * MINUTE - 18 * SECOND]);
  });

  it('carries reserves over to the next game of a match', () => {
    const clock = nextGameClock(startClock(fivePointClock(), 0, T0), T0 + MINUTE);
    assert.equal(clock.running, null);
    assert.deepEqual(clock.reserveMs, [10 * MINUTE - 48 * SECOND, 10 * MINUTE]);
  });

  it('refills reserves for every game of money play', () => {
    const clock = stopClock(startClock(newClock(clockSettings(0), 0), 1, T0), T0 + 4 * MINUTE);
    assert.deepEqual(clock.reserveMs, [5 * MINUTE, MINUTE + 12 * SECOND]);
    assert.deepEqual(nextGameClock(clock, T0 + 5 * MINUTE).reserveMs, [5 * MINUTE, 5 * MINUTE]);
  });
});

describe('timestamps', () => {
  it('add no time when earlier than the start of the period (clocks out of step)', () => {
    const clock = startClock(fivePointClock(), 0, T0);
    assert.deepEqual(remaining(clock, 0, T0 - MINUTE), { delayLeftMs: 12 * SECOND, reserveLeftMs: 10 * MINUTE });
    assert.equal(hasFlagFallen(clock, T0 - MINUTE), null);
    assert.deepEqual(stopClock(clock, T0 - MINUTE).reserveMs, [10 * MINUTE, 10 * MINUTE]);
    const switched = switchClock(clock, 1, T0 - MINUTE);
    assert.deepEqual(switched.reserveMs, [10 * MINUTE, 10 * MINUTE]);
  });

  it('are refused when not a finite number of milliseconds, 0 or more', () => {
    const stopped = fivePointClock();
    const running = startClock(stopped, 0, T0);
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const pattern = new RegExp(`timestamp.*${String(bad)}`);
      assertEngineError(() => startClock(stopped, 0, bad), 'INVALID_ACTION', pattern);
      assertEngineError(() => stopClock(running, bad), 'INVALID_ACTION', pattern);
      assertEngineError(() => stopClock(stopped, bad), 'INVALID_ACTION', pattern);
      assertEngineError(() => switchClock(running, 1, bad), 'INVALID_ACTION', pattern);
      assertEngineError(() => remaining(running, 0, bad), 'INVALID_ACTION', pattern);
      assertEngineError(() => hasFlagFallen(running, bad), 'INVALID_ACTION', pattern);
      assertEngineError(() => nextGameClock(running, bad), 'INVALID_ACTION', pattern);
    }
  });
});

describe('clock properties', () => {
  const seat = fc.constantFrom<Seat>(0, 1);
  const thinkingMs = fc.oneof(fc.integer({ min: 0, max: 20 * SECOND }), fc.integer({ min: 0, max: 3 * MINUTE }));
  const turns = fc.array(fc.record({ seat, thinkingMs, idleMs: fc.integer({ min: 0, max: MINUTE }) }), { maxLength: 60 });
  const settings = fc.record({
    delayMs: fc.integer({ min: 0, max: 30 * SECOND }),
    reservePerPointMs: fc.integer({ min: 1, max: 5 * MINUTE }),
    moneyReservePerGameMs: fc.constant(5 * MINUTE),
  });
  const matchLength = fc.integer({ min: 1, max: 25 });

  /** What a seat's reserve should be after its turns: every turn costs the time beyond the delay. */
  function expectedReserve(startMs: number, delayMs: number, thinking: readonly number[]): number {
    const used = thinking.reduce((sum, t) => sum + Math.max(0, t - delayMs), 0);
    return Math.max(0, startMs - used);
  }

  it('charges each seat the sum of its thinking beyond the delay, over stop/start sequences', () => {
    fc.assert(
      fc.property(settings, matchLength, turns, (clockConfig, length, plan) => {
        let clock = newClock(clockConfig, length);
        const start = startingReserveMs(clockConfig, length);
        let now = T0;
        for (const turn of plan) {
          now += turn.idleMs;
          clock = startClock(clock, turn.seat, now);
          now += turn.thinkingMs;
          clock = stopClock(clock, now);
        }
        for (const s of [0, 1] as const) {
          const thinking = plan.filter((turn) => turn.seat === s).map((turn) => turn.thinkingMs);
          assert.equal(clock.reserveMs[s], expectedReserve(start, clockConfig.delayMs, thinking));
        }
      }),
    );
  });

  it('switching after each action charges the same as stopping and starting whenever the seat changes', () => {
    fc.assert(
      fc.property(settings, matchLength, turns, (clockConfig, length, plan) => {
        let viaStops = newClock(clockConfig, length);
        let viaSwitches = viaStops;
        let now = T0;
        for (const turn of plan) {
          if (viaStops.running !== turn.seat) viaStops = startClock(stopClock(viaStops, now), turn.seat, now);
          viaSwitches = switchClock(viaSwitches, turn.seat, now);
          now += turn.thinkingMs;
        }
        assert.deepEqual(switchClock(viaSwitches, null, now).reserveMs, stopClock(viaStops, now).reserveMs);
      }),
    );
  });

  it('flagFallsAt agrees with remaining and hasFlagFallen at any moment', () => {
    fc.assert(
      fc.property(settings, matchLength, turns, seat, fc.integer({ min: -MINUTE, max: 2 * HOUR }), (clockConfig, length, plan, toMove, probeMs) => {
        let clock = newClock(clockConfig, length);
        let now = T0;
        for (const turn of plan) {
          clock = stopClock(startClock(clock, turn.seat, now), now + turn.thinkingMs);
          now += turn.thinkingMs + turn.idleMs;
        }
        clock = startClock(clock, toMove, now);
        const fallsAt = flagFallsAt(clock);
        assert.ok(fallsAt !== null);
        const left = remaining(clock, toMove, now);
        assert.equal(fallsAt, now + left.delayLeftMs + left.reserveLeftMs);
        const probe = now + probeMs;
        const atProbe = remaining(clock, toMove, probe);
        assert.equal(atProbe.delayLeftMs + atProbe.reserveLeftMs, Math.max(0, fallsAt - Math.max(now, probe)));
        assert.equal(hasFlagFallen(clock, probe), probe >= fallsAt ? toMove : null);
        assert.equal(stopClock(clock, probe).reserveMs[toMove], atProbe.reserveLeftMs);
      }),
    );
  });
});
