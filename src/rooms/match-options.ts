import { ErrorCode, ServerError } from '@colyseus/core';
import { z } from 'zod';
import { BOT_NAMES } from '../bots/player.js';
import { MAX_MATCH_LENGTH } from '../engine/index.js';

/** Spectators one match admits unless the server is configured otherwise (MAX_SPECTATORS_PER_MATCH). */
export const DEFAULT_MAX_SPECTATORS = 500;

/** A player's own seed for the fair dice, mixed into every roll with the server's (see engine/fair-dice.ts). */
export const DiceSeed = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16 to 128 characters, hexadecimal or base64url (letters, digits, - and _)');

const joinFields = {
    /** Join to watch even when a seat is free. */
    spectate: z.boolean().optional(),
    /** The invite code of a private match: takes its free seat, or lets its holder watch. */
    invite: z.string().max(64).optional(),
    /** The joining player's dice seed, used when the match has not started yet. */
    diceSeed: DiceSeed.optional(),
};

/** What a joining client may say; the creator's match options come along too and are ignored here. */
export const JoinOptions = z.object(joinFields);
export type JoinOptions = z.infer<typeof JoinOptions>;

/** A match's settings, given by whoever creates the room (who also joins with the same options). */
export const MatchRoomOptions = z
  .object({
    matchLength: z.number().int().min(0).max(MAX_MATCH_LENGTH).default(5),
    cube: z.boolean().default(true),
    jacoby: z.boolean().optional(),
    beavers: z.boolean().default(false),
    /** A rated match moves both players' ratings: match play between two registered accounts with a minimum of play (README: what is rated). */
    rated: z.boolean().default(true),
    /** Per-move delay and reserve per match point in milliseconds, or false for no clocks. */
    clock: z
      .union([
        z.literal(false),
        z.object({ delayMs: z.number().int().min(0).optional(), reservePerPointMs: z.number().int().min(0).optional() }).strict(),
      ])
      .default({}),
    /** How long a dropped player keeps the seat before forfeiting the match. */
    reconnectSeconds: z.number().min(0).max(3600).default(60),
    /** Roll for the player on turn when no double is possible, as boards do. */
    autoRoll: z.boolean().default(true),
    /** Play a forced play (the only legal one) without waiting for the player. */
    autoPlayForced: z.boolean().default(false),
    /** A private match is hidden from the lobby and every public list; its second seat needs the invite code. */
    private: z.boolean().default(false),
    /** Who may watch: holders of the invite code, or anyone. Private matches default to 'invite', public ones to 'anyone'. */
    spectators: z.enum(['invite', 'anyone']).optional(),
    /** The token of the seats matchmaking reserved (see seat-reservations.ts). */
    reservation: z.string().min(1).max(64).optional(),
    /** Seat 1 is held by a server-side bot of this level; you play seat 0. */
    bot: z.enum(BOT_NAMES).optional(),
    /** Both seats are held by bots of these levels (seat 0 first), and everyone who joins watches. Not with `bot` or a reservation. */
    bots: z.tuple([z.enum(BOT_NAMES), z.enum(BOT_NAMES)]).optional(),
    /** Milliseconds a bot waits before each action, so people can follow it. */
    botDelayMs: z.number().int().min(0).max(10_000).default(400),
    ...joinFields,
  })
  .strict();
export type MatchRoomOptions = z.infer<typeof MatchRoomOptions>;

/** Options a client got wrong: a ServerError, so Colyseus answers the client with it and logs no stack trace. */
export class InvalidOptionsError extends ServerError {
  override readonly name = 'InvalidOptionsError';

  constructor(message: string) {
    super(ErrorCode.MATCHMAKE_UNHANDLED, message);
  }
}

/**
 * A join the room turns down for a reason the client can act on (no invite code, no room left to
 * watch): the SDK rejects the join with a message that starts with the reason's code.
 */
export class JoinRefusedError extends ServerError {
  override readonly name = 'JoinRefusedError';

  constructor(code: 'INVITE_REQUIRED' | 'SPECTATORS_FULL', message: string) {
    super(ErrorCode.MATCHMAKE_UNHANDLED, `${code}: ${message}`);
  }
}

/** A refusal the client was told about: nothing on the server went wrong. */
export function isClientRefusal(error: unknown): boolean {
  const refusal = (candidate: unknown) => candidate instanceof InvalidOptionsError || candidate instanceof JoinRefusedError;
  return refusal(error) || (error instanceof Error && refusal(error.cause));
}

/** Parses options or throws an InvalidOptionsError whose message names the bad field. */
export function parseOptions<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new InvalidOptionsError(`invalid ${what}: ${where}${issue.message}`);
}
