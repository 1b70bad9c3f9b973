/**
 * The arithmetic of a backgammon match clock with simple delay.
 *
 * Every value is computed from timestamps (milliseconds, as from Date.now()) passed in by the
 * caller; nothing here counts ticks or reads the time. A room calls these functions on every
 * action and once more from a single timer set for flagFallsAt().
 *
 * Simple delay: when a seat's clock starts, its first delayMs of thinking are free; only the
 * time beyond the delay comes off that seat's reserve. The delay is not banked: an unused part
 * is lost when the clock stops. When a seat's reserve reaches zero while its clock runs, its
 * flag has fallen and it loses the match.
 *
 * Defaults (clockSettings):
 *   - delay 12 s per move and a reserve of 2 minutes per match point, as in the US federation's
 *     tournament rules: a 1-point match gives each seat 2 minutes, a 5-point match 10 minutes,
 *     a 25-point match 50 minutes. The reserve carries over from game to game.
 *   - money play: the same 12 s delay and a reserve of 5 minutes per game, refilled at the start
 *     of every game (nextGameClock), since a money session has no length to scale it by.
 * Clocks off: the room keeps no ClockState at all (its settings are null).
 *
 * Who is charged when: the seat that must act, which is what seatToAct in match.ts names.
 *   - opening roll, between games, match over: nobody (stopClock).
 *   - the player on roll while deciding to double or roll and while moving; rolling does not
 *     restart the clock, so one delay covers the whole turn until the play is confirmed.
 *   - the doubled player while deciding to take or drop; after a take the doubler's clock starts
 *     again with a fresh delay.
 *   - the receiver of a resignation while deciding to accept or reject it.
 * switchClock(clock, seatToAct(match), now) after every action does all of this: switching to
 * the seat already running keeps its period (no fresh delay per checker moved), and switching
 * to null stops the clock.
 *
 * A room should ask hasFlagFallen(clock, now) before applying an action: stopClock never lets a
 * reserve go below zero, so a late action would otherwise hide that the flag fell.
 */
import { fail } from './errors.js';
import { MAX_MATCH_LENGTH } from './match.js';
import type { Seat } from './record.js';

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

export const DEFAULT_DELAY_MS = 12 * SECOND_MS;
export const DEFAULT_RESERVE_PER_POINT_MS = 2 * MINUTE_MS;
export const DEFAULT_MONEY_RESERVE_PER_GAME_MS = 5 * MINUTE_MS;
export const MAX_DELAY_MS = 10 * MINUTE_MS;
export const MAX_RESERVE_MS = 10 * HOUR_MS;

export interface ClockSettings {
  /** Free thinking time each time a seat's clock starts. */
  readonly delayMs: number;
  /** Match play: each seat's reserve for every point of the match length. */
  readonly reservePerPointMs: number;
  /** Money play: each seat's reserve at the start of every game. */
  readonly moneyReservePerGameMs: number;
}

export const DEFAULT_CLOCK_SETTINGS: ClockSettings = Object.freeze({
  delayMs: DEFAULT_DELAY_MS,
  reservePerPointMs: DEFAULT_RESERVE_PER_POINT_MS,
  moneyReservePerGameMs: DEFAULT_MONEY_RESERVE_PER_GAME_MS,
});

export interface ClockState {
  readonly settings: ClockSettings;
  /** Points to win the match; 0 for money play. */
  readonly matchLength: number;
  /** Each seat's reserve as of the start of the current period, seat 0 first. */
  readonly reserveMs: readonly [number, number];
  /** The seat whose clock runs, or null while the clock is stopped. */
  readonly running: Seat | null;
  /** When the running seat's clock started; null while the clock is stopped. */
  readonly periodStartedAt: number | null;
}

export interface TimeLeft {
  /** Free time left before the reserve is touched; the full delay for a seat whose clock is stopped. */
  readonly delayLeftMs: number;
  readonly reserveLeftMs: number;
}

/** Clock settings for a match of matchLength points (0 for money play), defaults overridden by overrides. */
export function clockSettings(matchLength: number, overrides: Partial<ClockSettings> = {}): ClockSettings {
  const settings: ClockSettings = { ...DEFAULT_CLOCK_SETTINGS, ...overrides };
  assertClockSettings(settings, matchLength);
  return settings;
}

/** Each seat's reserve at the start of a match (or, in money play, of a game). */
export function startingReserveMs(settings: ClockSettings, matchLength: number): number {
  return matchLength === 0 ? settings.moneyReservePerGameMs : settings.reservePerPointMs * matchLength;
}

/** A stopped clock with full reserves. */
export function newClock(settings: ClockSettings, matchLength: number): ClockState {
  assertClockSettings(settings, matchLength);
  const reserve = startingReserveMs(settings, matchLength);
  return { settings, matchLength, reserveMs: [reserve, reserve], running: null, periodStartedAt: null };
}

/** The clock for the next game: stopped, with reserves carried over in a match and refilled in money play. */
export function nextGameClock(state: ClockState, now: number): ClockState {
  const stopped = stopClock(state, now);
  return state.matchLength === 0 ? newClock(state.settings, 0) : stopped;
}

/** Starts seat's clock with a fresh delay; refused while any clock runs (see switchClock). */
export function startClock(state: ClockState, seat: Seat, now: number): ClockState {
  assertTimestamp(now);
  if (state.running !== null) {
    fail('INVALID_ACTION', `the clock of seat ${state.running} is already running; stop or switch it first`);
  }
  return { ...state, running: seat, periodStartedAt: now };
}

/** Stops the running clock, charging its seat for the time beyond the delay; a stopped clock stays as it is. */
export function stopClock(state: ClockState, now: number): ClockState {
  assertTimestamp(now);
  if (state.running === null) return state;
  const reserveMs = withSeat(state.reserveMs, state.running, runningTimeLeft(state, now).reserveLeftMs);
  return { ...state, reserveMs, running: null, periodStartedAt: null };
}

/**
 * Makes toSeat's clock the one running (null stops the clock). The seat already running keeps
 * its period and the delay it has left, so this is safe to call after every action.
 */
export function switchClock(state: ClockState, toSeat: Seat | null, now: number): ClockState {
  assertTimestamp(now);
  if (toSeat === state.running) return state;
  const stopped = stopClock(state, now);
  return toSeat === null ? stopped : startClock(stopped, toSeat, now);
}

/** Seat's delay and reserve as they stand at now, without changing the clock. */
export function remaining(state: ClockState, seat: Seat, now: number): TimeLeft {
  assertTimestamp(now);
  if (seat !== state.running) return { delayLeftMs: state.settings.delayMs, reserveLeftMs: state.reserveMs[seat] };
  return runningTimeLeft(state, now);
}

/** When the running seat's reserve reaches zero, or null while the clock is stopped. */
export function flagFallsAt(state: ClockState): number | null {
  if (state.running === null || state.periodStartedAt === null) return null;
  return state.periodStartedAt + state.settings.delayMs + state.reserveMs[state.running];
}

/** The seat whose time has run out at now, or null. */
export function hasFlagFallen(state: ClockState, now: number): Seat | null {
  assertTimestamp(now);
  const fallsAt = flagFallsAt(state);
  return fallsAt !== null && now >= fallsAt ? state.running : null;
}

function runningTimeLeft(state: ClockState, now: number): TimeLeft {
  const { delayMs } = state.settings;
  const reserveMs = state.running === null ? 0 : state.reserveMs[state.running];
  const elapsedMs = elapsedSince(state.periodStartedAt ?? now, now);
  return {
    delayLeftMs: Math.max(0, delayMs - elapsedMs),
    reserveLeftMs: Math.max(0, reserveMs - Math.max(0, elapsedMs - delayMs)),
  };
}

/** A timestamp before the period started (clocks out of step) counts as no time at all. */
function elapsedSince(startedAt: number, now: number): number {
  return Math.max(0, now - startedAt);
}

function withSeat(values: readonly [number, number], seat: Seat, value: number): readonly [number, number] {
  return seat === 0 ? [value, values[1]] : [values[0], value];
}

function assertTimestamp(now: number): void {
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    fail('INVALID_ACTION', `a clock timestamp must be a finite number of milliseconds, 0 or more, not ${String(now)}`);
  }
}

function assertClockSettings(settings: ClockSettings, matchLength: number): void {
  if (!Number.isInteger(matchLength) || matchLength < 0 || matchLength > MAX_MATCH_LENGTH) {
    fail('INVALID_SETTINGS', `match length must be 0 (money) or 1 to ${MAX_MATCH_LENGTH}, not ${String(matchLength)}`);
  }
  assertDuration('delayMs', settings.delayMs, MAX_DELAY_MS);
  assertDuration('reservePerPointMs', settings.reservePerPointMs, MAX_RESERVE_MS);
  assertDuration('moneyReservePerGameMs', settings.moneyReservePerGameMs, MAX_RESERVE_MS);
  const reserveMs = startingReserveMs(settings, matchLength);
  if (reserveMs > MAX_RESERVE_MS) {
    fail('INVALID_SETTINGS', `a reserve of ${reserveMs} ms is more than the ${MAX_RESERVE_MS} ms allowed`);
  }
  if (settings.delayMs + reserveMs === 0) {
    fail('INVALID_SETTINGS', 'a clock with no delay and no reserve would run out at once');
  }
}

function assertDuration(name: string, value: number, maxMs: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > maxMs) {
    fail('INVALID_SETTINGS', `${name} must be a number of milliseconds from 0 to ${maxMs}, not ${String(value)}`);
  }
}
