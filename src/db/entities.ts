import { defineEntity, p } from '@mikro-orm/core';

/** A player account: registered (email and password) or a guest. */
const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    /** Lower-cased; null for guests. */
    email: p.string().nullable().unique(),
    /** scrypt hash with its salt; null for guests. */
    passwordHash: p.string().nullable().hidden(),
    name: p.string(),
    /** The name lower-cased: names are unique whatever their case. */
    nameKey: p.string().unique(),
    guest: p.boolean(),
    /** Administrators open the monitor and the metrics (`npm run admin`). */
    admin: p.boolean().default(false),
    rating: p.double().index(),
    /** Sum of the lengths of the rated matches played (FIBS experience). */
    experience: p.integer(),
    createdAt: p.datetime(),
    lastLoginAt: p.datetime().index(),
  },
});
export class User extends UserSchema.class {}
UserSchema.setClass(User);

/** A refresh token, stored as a hash. A family is one log-in's chain of rotated tokens. */
const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid().index(),
    family: p.uuid().index(),
    tokenHash: p.string().unique(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);

/** `interrupted`: its room ended with its server process before the match did (see live-servers.ts). */
export type MatchStatus = 'playing' | 'finished' | 'interrupted';

/** One match, written when it starts and completed when it ends; its events are in match_event_runs. */
const MatchSchema = defineEntity({
  name: 'Match',
  tableName: 'matches',
  indexes: [{ properties: ['status', 'startedAt'] }, { properties: ['endedAt'] }],
  properties: {
    id: p.uuid().primary(),
    roomId: p.string(),
    status: p.string().$type<MatchStatus>(),
    /** 0 for money play. */
    matchLength: p.integer(),
    rated: p.boolean(),
    /** Played by invitation: listed to its two players only. */
    private: p.boolean().default(false),
    /** The engine's match settings (cube, Jacoby, beavers). */
    settings: p.json<Record<string, unknown>>(),
    player0Id: p.uuid().nullable().index().fieldName('player0_id'),
    player1Id: p.uuid().nullable().index().fieldName('player1_id'),
    player0Name: p.string().fieldName('player0_name'),
    player1Name: p.string().fieldName('player1_name'),
    score0: p.integer(),
    score1: p.integer(),
    winner: p.smallint().nullable(),
    forfeitedBy: p.smallint().nullable(),
    diceCommitment: p.string(),
    /** Published only once the match is over, with the client seeds mixed into every roll. */
    diceServerSeed: p.string().nullable(),
    diceClientSeeds: p.json<string[]>(),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    rating0Before: p.double().nullable().fieldName('rating0_before'),
    rating0After: p.double().nullable().fieldName('rating0_after'),
    rating1Before: p.double().nullable().fieldName('rating1_before'),
    rating1After: p.double().nullable().fieldName('rating1_after'),
    /** The server process playing it (see live-servers.ts). */
    serverId: p.uuid().nullable().index(),
  },
});
export class Match extends MatchSchema.class {}
MatchSchema.setClass(Match);

/** A finished game: its result and the figures asked for without replaying it. */
const GameSchema = defineEntity({
  name: 'Game',
  tableName: 'games',
  primaryKeys: ['matchId', 'number'],
  properties: {
    matchId: p.uuid().primary(),
    number: p.integer().primary(),
    /** Score before the game, seat 0 first. */
    scoreBefore: p.json<[number, number]>(),
    crawford: p.boolean(),
    winner: p.smallint(),
    points: p.integer(),
    /** single | gammon | backgammon */
    kind: p.string(),
    /** bearoff | drop | resignation */
    endedBy: p.string(),
    cube: p.integer(),
    finalPositionId: p.string(),
    /** Checker moves played. */
    moves: p.integer(),
    startedAt: p.datetime(),
    endedAt: p.datetime(),
    durationMs: p.integer(),
  },
});
export class Game extends GameSchema.class {}
GameSchema.setClass(Game);

/** One event of a match log as stored: its number in the match, type, fields and time (ISO 8601). */
export interface StoredEventJson {
  readonly seq: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly at: string;
}

/**
 * The append-only event log of a match, in runs of consecutive events: each write stores a
 * match's events of one batch as one row, so a row is one event while a match is played live and
 * many when a backlog is written. (matchId, firstSeq) makes a rewrite of the same run a no-op.
 */
const MatchEventRunSchema = defineEntity({
  name: 'MatchEventRun',
  tableName: 'match_event_runs',
  primaryKeys: ['matchId', 'firstSeq'],
  properties: {
    matchId: p.uuid().primary(),
    firstSeq: p.integer().primary(),
    lastSeq: p.integer(),
    /** `json`, not `jsonb`: stored as written and read whole, it skips jsonb's parsing, which halves the write cost. */
    events: p.json<StoredEventJson[]>().columnType('json'),
  },
});
export class MatchEventRun extends MatchEventRunSchema.class {}
MatchEventRunSchema.setClass(MatchEventRun);

/** One rated match's effect on one player's rating. */
const RatingChangeSchema = defineEntity({
  name: 'RatingChange',
  tableName: 'rating_changes',
  uniques: [{ properties: ['userId', 'matchId'] }],
  indexes: [{ properties: ['userId', 'at'] }],
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    matchId: p.uuid(),
    before: p.double(),
    after: p.double(),
    experienceBefore: p.integer(),
    at: p.datetime(),
  },
});
export class RatingChange extends RatingChangeSchema.class {}
RatingChangeSchema.setClass(RatingChange);

/** A server process sharing the database, and when it last said it was alive. */
const ServerSchema = defineEntity({
  name: 'Server',
  tableName: 'servers',
  properties: {
    id: p.uuid().primary(),
    startedAt: p.datetime(),
    seenAt: p.datetime(),
  },
});
export class Server extends ServerSchema.class {}
ServerSchema.setClass(Server);

/**
 * A fair-dice server seed sealed under the deployment's dice key from its commitment on, with what
 * else its match needs to be resumed (see recovery/seed-vault.ts).
 */
const SealedDiceSeedSchema = defineEntity({
  name: 'SealedDiceSeed',
  tableName: 'sealed_dice_seeds',
  properties: {
    commitment: p.string().primary(),
    sealedSeed: p.string(),
    roomOptions: p.json<Record<string, unknown>>(),
    inviteCode: p.string().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export class SealedDiceSeed extends SealedDiceSeedSchema.class {}
SealedDiceSeedSchema.setClass(SealedDiceSeed);

/**
 * `pending`: waiting to be analysed; `running`: a server process claimed it and analyses it;
 * `done`; `failed`: it could not be analysed.
 */
export type AnalysisStatus = 'pending' | 'running' | 'done' | 'failed';

/**
 * The analysis of one finished game (see src/analysis-service.ts): queued with the game's row,
 * claimed by one server process, then its judged decisions, read whole. Each player's figures are
 * in game_analysis_players.
 */
const GameAnalysisSchema = defineEntity({
  name: 'GameAnalysis',
  tableName: 'game_analyses',
  primaryKeys: ['matchId', 'number'],
  indexes: [{ properties: ['status', 'queuedAt'] }],
  properties: {
    matchId: p.uuid().primary(),
    number: p.integer().primary(),
    status: p.string().$type<AnalysisStatus>(),
    /** When the game ended. */
    queuedAt: p.datetime(),
    /** The server process analysing it, or that did. */
    claimedBy: p.uuid().nullable(),
    claimedAt: p.datetime().nullable(),
    /** Claims so far: a claim whose process died is taken over, a few times at most. */
    attempts: p.integer(),
    plies: p.integer().nullable(),
    analysedAt: p.datetime().nullable(),
    /** Why it failed. */
    failure: p.text().nullable(),
    /** Every judged decision, in the order played (see bots/analysis/game.ts). */
    decisions: p.json<unknown[]>().nullable(),
  },
});
export class GameAnalysis extends GameAnalysisSchema.class {}
GameAnalysisSchema.setClass(GameAnalysis);

/** One player's figures in an analysed game: what error rates and statistics add up. */
const GameAnalysisPlayerSchema = defineEntity({
  name: 'GameAnalysisPlayer',
  tableName: 'game_analysis_players',
  primaryKeys: ['matchId', 'number', 'seat'],
  properties: {
    matchId: p.uuid().primary(),
    number: p.integer().primary(),
    seat: p.smallint().primary(),
    /** The account in the seat; null for a bot. */
    userId: p.uuid().nullable().index(),
    unforcedMoves: p.integer(),
    cubeDecisions: p.integer(),
    checkerEquityLost: p.double(),
    cubeEquityLost: p.double(),
    doubtful: p.integer(),
    errors: p.integer(),
    blunders: p.integer(),
    luck: p.double(),
    rolls: p.integer(),
  },
});
export class GameAnalysisPlayer extends GameAnalysisPlayerSchema.class {}
GameAnalysisPlayerSchema.setClass(GameAnalysisPlayer);

export const ENTITIES = [
  UserSchema,
  RefreshTokenSchema,
  MatchSchema,
  GameSchema,
  MatchEventRunSchema,
  RatingChangeSchema,
  ServerSchema,
  SealedDiceSeedSchema,
  GameAnalysisSchema,
  GameAnalysisPlayerSchema,
];
