import { randomPlayer } from './random-player.js';
import type { SeatPlayer } from './seat-player.js';

/** The bots a match can seat, weakest first. */
export const BOT_NAMES = ['random'] as const;
export type BotName = (typeof BOT_NAMES)[number];

/** The bot of that name, ready to decide; `random` drives its choices. */
export function botPlayer(name: BotName, random: () => number = Math.random): SeatPlayer {
  switch (name) {
    case 'random':
      return randomPlayer(random);
  }
}

/** A bot's name and rating as the seat shows them. */
export function botIdentity(name: BotName): { name: string; rating: number } {
  const { name: shown, rating } = botPlayer(name);
  return { name: shown, rating };
}

/** The first legal action, found at once: what a bot does when its thinking fails or takes too long. */
export const quickPlayer: SeatPlayer = randomPlayer(() => 0);
