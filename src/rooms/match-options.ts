import { ErrorCode, ServerError } from '@colyseus/core';
import { z } from 'zod';
import { MAX_MATCH_LENGTH } from '../engine/index.js';

const joinFields = {
    /** Join to watch even when a seat is free. */
    spectate: z.boolean().optional(),
    /** The invite code of a private match. */
    invite: z.string().max(64).optional(),
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
    /** A rated match moves both players' ratings (match play between two accounts only). */
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
    /** A private match is hidden from the lobby; its second seat needs the invite code. */
    private: z.boolean().default(false),
    /** The token of the seats matchmaking reserved (see seat-reservations.ts). */
    reservation: z.string().min(1).max(64).optional(),
    /** Seat 1 is held by a server-side bot. */
    bot: z.enum(['random']).optional(),
    /** Milliseconds a bot waits before each action, so people can follow it. */
    botDelayMs: z.number().int().min(0).max(10_000).default(400),
    ...joinFields,
  })
  .strict();
export type MatchRoomOptions = z.infer<typeof MatchRoomOptions>;


/** Options a client sent that cannot be used: the client is told why; nothing on the server is wrong. */
/** Options a client got wrong: a ServerError, so Colyseus answers the client with it and logs no stack trace. */
export class InvalidOptionsError extends ServerError {
  override readonly name = 'InvalidOptionsError';

  constructor(message: string) {
    super(ErrorCode.MATCHMAKE_UNHANDLED, message);
  }
}

export function isInvalidOptions(error: unknown): boolean {
  return error instanceof InvalidOptionsError || (error instanceof Error && error.cause instanceof InvalidOptionsError);
}

/** Parses options or throws an InvalidOptionsError whose message names the bad field. */
export function parseOptions<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new InvalidOptionsError(`invalid ${what}: ${where}${issue.message}`);
}
