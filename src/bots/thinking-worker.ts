import type { MatchState, Seat } from '../engine/index.js';
import type { SeatIntent, SeatPlayer } from './seat-player.js';
import { netEvaluator } from './index.js';
import { botPlayer, type BotName } from './player.js';
import { serveJobs } from './serve-jobs.js';
import { nameThisThread } from '../thread-name.js';

/** One decision to make: the match as the room holds it, the seat to play, and the bot. */
export interface ThinkingRequest {
  readonly match: MatchState;
  readonly seat: Seat;
  readonly bot: BotName;
}

// One player per bot for the worker's life: whatever a bot loads (its network) is loaded once.
const players = new Map<BotName, SeatPlayer>();

function decide(request: ThinkingRequest): SeatIntent | null {
  try {
    let player = players.get(request.bot);
    if (!player) players.set(request.bot, (player = botPlayer(request.bot)));
    return player.decide(request.match, request.seat);
  } catch (error) {
    throw new Error(`the bot failed to decide: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

netEvaluator();
nameThisThread('tavla-bots');
serveJobs(decide);
