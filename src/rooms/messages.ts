import { z } from 'zod';

/** Every message a client may send to a match room, validated before anything else happens. */
const point = z.number().int().min(0).max(25);
const empty = z.union([z.undefined(), z.null(), z.object({}).strict()]);

export const MATCH_MESSAGES = {
  roll: empty,
  move: z.object({ from: point, to: point }).strict(),
  undo: empty,
  confirm: empty,
  double: empty,
  take: empty,
  drop: empty,
  beaver: empty,
  resign: z.object({ kind: z.enum(['single', 'gammon', 'backgammon']) }).strict(),
  accept: empty,
  reject: empty,
  chat: z.object({ text: z.string().trim().min(1, 'a chat message cannot be empty').max(500, 'a chat message is at most 500 characters') }).strict(),
  sync: z.object({ version: z.number().int().min(0) }).strict(),
  rematch: empty,
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
