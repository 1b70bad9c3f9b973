import { schema, t, type SchemaType } from '@colyseus/schema';

/** One checker moved this turn. `from` 25 is the bar, `to` 0 is off, both from the mover's side. */
export const MoveState = schema({ from: t.uint8(), to: t.uint8(), hit: t.boolean() }, 'Move');
export type MoveState = SchemaType<typeof MoveState>;

/** A seat at the table and who holds it. */
export const PlayerState = schema(
  {
    seat: t.uint8(),
    /** Empty until someone takes the seat. */
    name: t.string(),
    colour: t.string(),
    rating: t.number(),
    connected: t.boolean(),
    bot: t.boolean(),
    /** Reserve time left when this seat's clock last stopped or started (ms). */
    reserveMs: t.number(),
    /** This seat has asked for a rematch after the match ended. */
    wantsRematch: t.boolean(),
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
    /** waiting | opening | rolling | moving | doubled | resigning | over */
    phase: t.string(),
    gameNumber: t.uint16(),
    /** 0 for money play. */
    matchLength: t.uint8(),
    score: t.array('uint16'),
    crawford: t.boolean(),
    postCrawford: t.boolean(),
    /** The seat on roll, or -1 before the opening roll. */
    turn: t.int8(),
    /** The seat the match waits for, or -1. */
    toAct: t.int8(),
    checkers0: t.array('uint8'),
    checkers1: t.array('uint8'),
    dice: t.array('uint8'),
    diceLeft: t.array('uint8'),
    moves: t.array(MoveState),
    canConfirm: t.boolean(),
    cubeValue: t.uint8(),
    /** -1 while centred. */
    cubeOwner: t.int8(),
    doubleOffered: t.boolean(),
    /** The seat offering a resignation, or -1; its size in resignKind. */
    resignSeat: t.int8(),
    resignKind: t.string(),
    players: t.array(PlayerState),
    spectators: t.uint16(),
    /** SHA-256 commitment to the fair-dice server seed, published before the first roll. */
    diceCommitment: t.string(),
    /** The seat that won the match, or -1. */
    winner: t.int8(),
    /** How the last game ended, e.g. "seat 0 wins a gammon: 4 points". */
    lastResult: t.string(),
    positionId: t.string(),
    matchId: t.string(),
    /** Clocks: per-move delay (ms), whose clock runs (-1: none) and since when (server ms). */
    clockDelayMs: t.number(),
    clockSeat: t.int8(),
    clockStartedAt: t.float64(),
  },
  'Match',
);
export type MatchStateSchema = SchemaType<typeof MatchStateSchema>;
