import { schema, t, type SchemaType } from '@colyseus/schema';

// Every field has a comment: docs/PROTOCOL.md is generated from them (npm run docs:protocol).

/** One checker moved this turn. */
export const MoveState = schema(
  {
    /** The point it left, from the mover's side: 25 is the bar. */
    from: t.uint8(),
    /** The point it reached, from the mover's side: 0 is borne off. */
    to: t.uint8(),
    /** It hit an opposing blot. */
    hit: t.boolean(),
  },
  'Move',
);
export type MoveState = SchemaType<typeof MoveState>;

/** A seat at the table and who holds it. */
export const PlayerState = schema(
  {
    /** 0 or 1. */
    seat: t.uint8(),
    /** The account's name; empty until someone takes the seat. */
    name: t.string(),
    /** white (seat 0) or black (seat 1). */
    colour: t.string(),
    /** The account's rating when it took the seat. */
    rating: t.number(),
    /** The player's connection is open (a bot is always connected). */
    connected: t.boolean(),
    /** The seat is played by the server. */
    bot: t.boolean(),
    /** Reserve time left when this seat's clock last stopped or started (ms). */
    reserveMs: t.number(),
    /** This seat has asked for a rematch after the match ended. */
    wantsRematch: t.boolean(),
    /** This seat's latest roll in this game, kept after its turn passed; empty before its first roll. */
    lastDice: t.array('uint8'),
    /** No checker could move with lastDice: the turn passed without a move. */
    lastDiceBlocked: t.boolean(),
  },
  'Player',
);
export type PlayerState = SchemaType<typeof PlayerState>;

/**
 * The wire mirror of a match. Boards are per seat, each seen from that seat's own side
 * (index 0 borne off, 1..24 points, 25 bar), and include the moves of a turn in progress.
 */
export const MatchStateSchema = schema(
  {
    /** Increments on every change; a client that sees a gap asks for a resync. */
    version: t.uint32().default(0),
    /** The match's id under /matches/:id of the HTTP API (stored once both players are seated); a rematch gets a new one. */
    matchId: t.string(),
    /** What the match waits for: waiting, opening, rolling, moving, doubled, resigning or over (see the phase table). */
    phase: t.string(),
    /** The game being played, from 1. */
    gameNumber: t.uint16(),
    /** Points to win the match; 0 for money play. */
    matchLength: t.uint8(),
    /** Points so far, seat 0 first. */
    score: t.array('uint16'),
    /** This game is the Crawford game: no doubling. */
    crawford: t.boolean(),
    /** The Crawford game has been played. */
    postCrawford: t.boolean(),
    /** The seat on roll, or -1 before the opening roll. */
    turn: t.int8(),
    /** The seat the match waits for, or -1. */
    toAct: t.int8(),
    /** Seat 0's checkers per point, seen from seat 0: index 0 borne off, 1..24 points, 25 bar. */
    checkers0: t.array('uint8'),
    /** Seat 1's checkers per point, seen from seat 1. */
    checkers1: t.array('uint8'),
    /** The dice of the turn in progress (empty between turns). */
    dice: t.array('uint8'),
    /** The dice not yet played this turn (four entries for a double). */
    diceLeft: t.array('uint8'),
    /** The checkers moved so far this turn. */
    moves: t.array(MoveState),
    /** The play so far is complete: `confirm` ends the turn. */
    canConfirm: t.boolean(),
    /** The cube's value. */
    cubeValue: t.uint8(),
    /** The seat owning the cube; -1 while centred. */
    cubeOwner: t.int8(),
    /** A double waits for `take`, `drop` or `beaver`. */
    doubleOffered: t.boolean(),
    /** The seat offering a resignation, or -1; its size in resignKind. */
    resignSeat: t.int8(),
    /** single | gammon | backgammon, or empty. */
    resignKind: t.string(),
    /** Both seats, seat 0 first. */
    players: t.array(PlayerState),
    /** How many clients watch. */
    spectators: t.uint16(),
    /** SHA-256 commitment to the fair-dice server seed, published before the first roll. */
    diceCommitment: t.string(),
    /** The seat that won the match, or -1. */
    winner: t.int8(),
    /** How the last game ended, e.g. "seat 0 wins a gammon: 4 points". */
    lastResult: t.string(),
    /** GNU Backgammon's Position ID of the position on the board. */
    positionId: t.string(),
    /** GNU Backgammon's Match ID (score, cube, dice, whose turn). */
    gnubgMatchId: t.string(),
    /** The per-move delay of the clocks (ms); 0 without clocks. */
    clockDelayMs: t.number(),
    /** The seat whose clock runs, or -1. */
    clockSeat: t.int8(),
    /** Server time (ms since the epoch) at which clockSeat's clock started. */
    clockStartedAt: t.float64(),
    /** The number (`seq`) of the last event of the match's log that this state shows, as `GET /matches/:id` lists them; 0 before the match starts. */
    lastEventSeq: t.uint32(),
  },
  'Match',
);
export type MatchStateSchema = SchemaType<typeof MatchStateSchema>;
