import { parentPort } from 'node:worker_threads';
import type { MatchState, Seat } from '../engine/index.js';
import type { SeatPlayer } from './seat-player.js';
import { botPlayer, type BotName } from './thinking-players.js';

/** One decision to make: the match as the room holds it, the seat to play, and the bot. */
export interface ThinkingRequest {
  readonly id: number;
  readonly match: MatchState;
  readonly seat: Seat;
  readonly bot: BotName;
}

export type ThinkingReply =
  | { readonly id: number; readonly intent: ReturnType<SeatPlayer['decide']> }
  | { readonly id: number; readonly error: string };

// One player per bot for the worker's life: whatever a bot loads (its network) is loaded once.
const players = new Map<BotName, SeatPlayer>();

function decide(request: ThinkingRequest): ThinkingReply {
  try {
    let player = players.get(request.bot);
    if (!player) players.set(request.bot, (player = botPlayer(request.bot)));
    return { id: request.id, intent: player.decide(request.match, request.seat) };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort!.on('message', (request: ThinkingRequest) => parentPort!.postMessage(decide(request)));
