import { z } from 'zod';
import { BOT_NAMES } from '../bots/player.js';

/**
 * Every message the server sends to clients, by type. The rooms' `send` and `broadcast` calls are
 * typed against these definitions, and docs/PROTOCOL.md is generated from them.
 */
const seat = z.union([z.literal(0), z.literal(1)]);
const die = z.number().int().min(1).max(6);
const dice = z.tuple([die, die]);
const score = z.array(z.number().int().min(0)).length(2).describe('points so far, seat 0 first');
const matchId = z.string().describe("the match's id under `/matches/:id` of the HTTP API; a rematch is a new match, whose id the state's `matchId` shows");

export const MATCH_ROOM_MESSAGES = {
  seat: z
    .object({
      seat: seat.nullable().describe('0 plays white, 1 black; null: watching'),
      colour: z.enum(['white', 'black']).nullable(),
      matchId,
      invite: z
        .object({ code: z.string(), link: z.string().describe('path of the invite page on this server') })
        .optional()
        .describe('only to the creator of a private match: what lets a friend take the other seat'),
      reason: z.string().optional().describe('why the seat changed, when it was taken from this connection'),
    })
    .describe('Your seat: sent on joining, on every reconnection, and when it changes (the account took its seat from another connection).'),
  error: z
    .object({
      type: z.string().describe('the type of the refused message'),
      code: z.string().describe('INVALID_MESSAGE, UNKNOWN_MESSAGE, SPECTATOR, INVALID_ACTION, ILLEGAL_MOVE, ...'),
      message: z.string().describe('a sentence for people'),
    })
    .describe('A message was refused; nothing changed.'),
  'opening-roll': z
    .object({ dice: dice.describe("seat 0's die, seat 1's die") })
    .describe('The opening roll, each die for one seat; a tie is rolled again (another `opening-roll`).'),
  'no-move': z
    .object({ seat, dice })
    .describe('A roll that could not be played at all: the turn passed at once. The state keeps it in `players[seat].lastDice`, with `lastDiceBlocked` set.'),
  'game-over': z
    .object({
      game: z.number().int().min(1),
      winner: seat,
      points: z.number().int().min(1).describe("the result's multiple times the cube"),
      kind: z.enum(['single', 'gammon', 'backgammon']),
      by: z.enum(['bearoff', 'drop', 'resignation']).describe('the last checker borne off, a dropped double, an accepted resignation'),
      score: score.describe('points after this game, seat 0 first'),
    })
    .describe('A game ended. A match lost on time or by leaving ends with `match-over` alone.'),
  'match-over': z
    .object({
      winner: seat.nullable(),
      score,
      forfeitedBy: seat.nullable().describe('the seat that lost on time or by leaving, else null'),
      fairDice: z
        .object({
          serverSeed: z.string(),
          commitment: z.string().describe('the `diceCommitment` published in the state before the first roll'),
          clientSeeds: z.array(z.string()),
          rollCount: z.number().int().min(0),
        })
        .describe('the dice secret revealed: every roll can be recomputed and checked against the commitment'),
      nextDiceCommitment: z.string().describe("the commitment to a rematch's server seed: players may send `dice-seed` for the rematch now"),
    })
    .describe('The match is over.'),
  'dice-seed': z
    .object({ seat, seed: z.string(), commitment: z.string().describe('the commitment of the dice the seed is for') })
    .describe('Your `dice-seed` (or join option `diceSeed`) was taken for the match about to start.'),
  'dice-seeds': z
    .object({
      commitment: z.string().describe('the `diceCommitment` of the match, published before any seed was taken'),
      clientSeeds: z.tuple([z.string(), z.string()]).describe("seat 0's seed, seat 1's seed: mixed into every roll"),
      drawnByServer: z.tuple([z.boolean(), z.boolean()]).describe('which seeds the server drew at random, its player having sent none'),
    })
    .describe('The dice seeds of the match, fixed as it starts: sent before the first roll, and to whoever joins later.'),
  timeout: z.object({ seat }).describe("A seat's clock ran out: it loses the match (`match-over` follows)."),
  cancelled: z
    .object({ reason: z.string() })
    .describe('A match made by quick match closes because a matched player never arrived (30 seconds).'),
  moving: z
    .object({
      matchId: z.string().describe('`GET /matches/:id` gives the room it is played in from then on'),
      roomId: z.string().describe('the room it goes on in: join it with `joinById` (retry while it opens, a second or two)'),
      reason: z.string(),
    })
    .describe('Sent right before the room closes while its match goes on elsewhere: the server process shuts down, lost touch with the others for longer than its presence lasts, or another process took the match over. A live process continues it in the room named, within seconds; play resumes once both players are back.'),
  chat: z
    .object({
      seat: z.number().int().min(-1).max(1).describe('-1 for a spectator'),
      name: z.string(),
      text: z.string(),
      at: z.number().describe('server time, ms since the epoch'),
    })
    .describe('A chat message, to everyone in the room.'),
  sync: z
    .object({
      version: z.number().int().min(0),
      upToDate: z.boolean(),
      state: z.record(z.string(), z.unknown()).optional().describe('the whole state as JSON, when the client was behind'),
    })
    .describe('The answer to `sync`.'),
} as const;

/** What the quick-match queue sends while a player waits (Colyseus's QueueRoom). */
export const QUICK_MATCH_MESSAGES = {
  clients: z.number().int().min(1).describe('How many players are in your forming group, you included (1 while you wait alone).'),
  seat: z
    .object({
      name: z.literal('match'),
      roomId: z.string(),
      sessionId: z.string(),
      processId: z.string(),
      publicAddress: z.string().optional(),
    })
    .describe('A seat reservation in a new match room: consume it with `client.consumeSeatReservation(seat)`, then send `confirm` to the queue.'),
  bot: z
    .object({
      level: z.enum(BOT_NAMES).describe("the bot's level, as `bot` of `create(\"match\")` names it"),
      name: z.string(),
      rating: z.number(),
    })
    .describe('Nobody came to play you in time (the server\'s QUICK_MATCH_BOT_AFTER_MS), so you play this bot, of the level nearest your rating: its match follows at once in `seat`. Bot matches are never rated.'),
} as const;

export type MatchRoomMessageType = keyof typeof MATCH_ROOM_MESSAGES;
export type MatchRoomMessage<T extends MatchRoomMessageType> = z.input<(typeof MATCH_ROOM_MESSAGES)[T]>;
