import {
  clockSettings,
  flagFallsAt,
  hasFlagFallen,
  newClock,
  nextGameClock,
  switchClock,
  type ClockSettings,
  type ClockState,
  type Seat,
} from '../engine/index.js';
import type { ClockView } from '../schema/write-match.js';

/** A room's match clock: the engine's clock state, moved on by the room's events. */
export class MatchClock {
  private state: ClockState;

  constructor(matchLength: number, overrides: Partial<ClockSettings>) {
    this.state = newClock(clockSettings(matchLength, overrides), matchLength);
  }

  /** Runs the clock of the seat the match waits for, or stops it (null). */
  follow(seat: Seat | null, now: number): void {
    this.state = switchClock(this.state, seat, now);
  }

  nextGame(now: number): void {
    this.state = nextGameClock(this.state, now);
  }

  flagFallsAt(): number | null {
    return flagFallsAt(this.state);
  }

  flagFallen(now: number): Seat | null {
    return hasFlagFallen(this.state, now);
  }

  view(): ClockView {
    return {
      delayMs: this.state.settings.delayMs,
      reserveMs: this.state.reserveMs,
      runningSeat: this.state.running,
      startedAt: this.state.periodStartedAt ?? 0,
    };
  }
}
