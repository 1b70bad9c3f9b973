import { z } from 'zod';
import { DiceSeed } from './match-options.js';

/** Every message a client may send to a match room, validated before anything else happens. */
const point = z.number().int().min(0).max(25);
const empty = z.union([z.undefined(), z.null(), z.object({}).strict()]);

// Each comment below is copied into docs/PROTOCOL.md (npm run docs:protocol).
export const MATCH_MESSAGES = {
  /** Roll the dice (phase rolling, your turn). */
  roll: empty,
  /** Move one checker (phase moving): it may go on through several dice in one message. */
  move: z
    .object({
      /** The point it leaves, from your side: 25 is the bar. */
      from: point,
      /** The point it reaches, from your side: 0 bears it off. */
      to: point,
    })
    .strict(),
  /** Take back the last checker moved this turn. */
  undo: empty,
  /** End the turn with the checkers moved; refused while more of the roll must be played. */
  confirm: empty,
  /** Offer the cube before rolling. */
  double: empty,
  /** Accept the double: you own the cube. */
  take: empty,
  /** Refuse the double: you lose the game at the cube's value before the double. */
  drop: empty,
  /** Take the double and redouble at once, keeping the cube (money play with beavers). */
  beaver: empty,
  /** Offer to resign the game. */
  resign: z
    .object({
      /** How much you give up: a single game, a gammon or a backgammon (times the cube). */
      kind: z.enum(['single', 'gammon', 'backgammon']),
    })
    .strict(),
  /** Accept the opponent's resignation: the game ends. */
  accept: empty,
  /** Reject the opponent's resignation: play goes on. */
  reject: empty,
  /** Say something to everyone in the room (players and spectators): at most 5 messages in 10 seconds. */
  chat: z
    .object({
      /** 1 to 500 characters (spaces around it are trimmed). */
      text: z.string().trim().min(1, 'a chat message cannot be empty').max(500, 'a chat message is at most 500 characters'),
    })
    .strict(),
  /** Check the state: answered with `sync`, carrying the whole state when yours is behind. */
  sync: z
    .object({
      /** The `version` of the state you hold. */
      version: z.number().int().min(0),
    })
    .strict(),
  /** Ask for a new match against the same opponent once the match is over; it starts when both asked. */
  rematch: empty,
  // A quoted key's comment is not found by the docs generator: this one is described in the definition.
  'dice-seed': z
    .object({
      /** 16 to 128 characters, hexadecimal or base64url (letters, digits, - and _). */
      seed: DiceSeed,
    })
    .strict()
    .describe(
      "Your seed for the fair dice of the match about to start, mixed into every roll with the server's (once a match is over: for the rematch); answered with `dice-seed`. Refused once the match has started. The join option `diceSeed` does the same.",
    ),
} as const;

export type MatchMessageType = keyof typeof MATCH_MESSAGES;
export type MatchMessage<T extends MatchMessageType> = z.infer<(typeof MATCH_MESSAGES)[T]>;

export function isMatchMessageType(type: unknown): type is MatchMessageType {
  return typeof type === 'string' && Object.hasOwn(MATCH_MESSAGES, type);
}

/** The reply to a refused message: a machine-readable code and a sentence for people. */
export interface ErrorReply {
  readonly code: string;
  readonly message: string;
  /** The message type that was refused. */
  readonly type: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseMessage<T extends MatchMessageType>(type: T, payload: unknown): Parsed<MatchMessage<T>> {
  const result = MATCH_MESSAGES[type].safeParse(payload);
  if (result.success) return { ok: true, value: result.data as MatchMessage<T> };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, message: `invalid ${type} message: ${where}${issue?.message ?? 'malformed'}` };
}
