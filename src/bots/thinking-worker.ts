import { parentPort } from 'node:worker_threads';
import type { MatchState, Seat } from '../engine/index.js';
import type { SeatPlayer } from './seat-player.js';
import { netEvaluator } from './index.js';
import { botPlayer, type BotName } from './player.js';

/** One decision to make: the match as the room holds it, the seat to play, and the bot. */
export interface ThinkingRequest {
  readonly id: number;
  readonly match: MatchState;
  readonly seat: Seat;
  readonly bot: BotName;
}

/** The first message says the thread has loaded the network; then one reply for each request. */
export type ThinkingReply =
  | { readonly ready: true }
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

netEvaluator();
parentPort!.on('message', (request: ThinkingRequest) => parentPort!.postMessage(decide(request)));
parentPort!.postMessage({ ready: true } satisfies ThinkingReply);
