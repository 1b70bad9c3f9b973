import { botPlayer, type BotName } from './player.js';
import { randomPlayer } from './random-player.js';
import type { SeatPlayer } from './seat-player.js';

/** A bot's name and rating as the seat shows them; nothing is loaded to know them. */
export function botIdentity(name: BotName): { name: string; rating: number } {
  const { name: shown, rating } = botPlayer(name);
  return { name: shown, rating };
}

/** The first legal action, found at once: what a bot does when its thinking fails or takes too long. */
export const quickPlayer: SeatPlayer = randomPlayer(() => 0);

/** The random player decides in microseconds, on the room's own thread: only the other bots need a thinking thread. */
export function needsThinkingThread(name: BotName): boolean {
  return name !== 'random';
}
