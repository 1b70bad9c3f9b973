import { applyAction, newMatch, seatToAct, type MatchSettings, type MatchState, type Seat } from '../../src/engine/index.js';
import { Prng } from '../../src/bots/prng.js';
import type { SeatIntent, SeatPlayer } from '../../src/bots/seat-player.js';

/** Every intent a player sent, with the phase it answered. */
export interface SentIntent {
  readonly phase: MatchState['phase'];
  readonly seat: Seat;
  readonly intent: SeatIntent;
}

/**
 * Plays a whole match between two seat players with seeded dice through the pure engine, as a
 * room would: every intent becomes an action, and an action the engine refuses throws.
 */
export function playMatch(players: readonly [SeatPlayer, SeatPlayer], settings: Partial<MatchSettings>, seed: number, maxActions = 20_000): { match: MatchState; sent: SentIntent[] } {
  const dice = Prng.fromSeed(seed);
  const sent: SentIntent[] = [];
  let match = newMatch(settings);
  for (let step = 0; step < maxActions && match.phase !== 'over'; step++) {
    if (match.phase === 'opening') {
      match = applyAction(match, { type: 'opening-roll', dice: [dice.die(), dice.die()] });
      continue;
    }
    const seat = seatToAct(match)!;
    const intent = players[seat].decide(match, seat);
    if (!intent) throw new Error(`seat ${seat} did not act in phase ${match.phase}`);
    sent.push({ phase: match.phase, seat, intent });
    match = applyAction(match, toAction(intent, seat, dice));
    if (settings.matchLength === 0 && match.games.length > 3) break;
  }
  return { match, sent };
}

/** The action a seat player's intent stands for, its rolls drawn from `dice`. */
export function toAction(intent: SeatIntent, seat: Seat, dice: Prng): Parameters<typeof applyAction>[1] {
  switch (intent.type) {
    case 'roll':
      return { type: 'roll', seat, dice: [dice.die(), dice.die()] };
    case 'move':
      return { type: 'move', seat, from: intent.from, to: intent.to };
    case 'resign':
      return { type: 'resign', seat, kind: intent.kind };
    case 'rematch':
      throw new Error('no rematch inside a match');
    default:
      return { type: intent.type, seat };
  }
}
