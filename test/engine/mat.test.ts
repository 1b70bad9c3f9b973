import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_CUBE } from '../../src/engine/cube.js';
import type { Dice } from '../../src/engine/dice.js';
import { EngineError } from '../../src/engine/errors.js';
import { legalPlays } from '../../src/engine/legal.js';
import { exportMat, parseMat } from '../../src/engine/mat.js';
import { parsePlay } from '../../src/engine/notation.js';
import { startPosition, turnAround, type Position } from '../../src/engine/position.js';
import type {
  GameEvent,
  GameOutcome,
  GameRecord,
  MatchRecord,
  ResignationKind,
  Seat,
  WinKind,
} from '../../src/engine/record.js';
import { randomDice, seededRandom } from '../support/random-games.js';

const MULTIPLE: Record<WinKind, number> = { single: 1, gammon: 2, backgammon: 3 };

function otherSeat(seat: Seat): Seat {
  return seat === 0 ? 1 : 0;
}

/** A turn written as in a .mat file: the roll and the play in notation. */
interface WrittenTurn {
  readonly seat: Seat;
  readonly dice: Dice;
  readonly play: string;
}

/** Game events with each written play replayed on the board and resolved to its legal moves. */
function eventsOf(steps: readonly (WrittenTurn | GameEvent)[]): GameEvent[] {
  let position = startPosition();
  return steps.map((step) => {
    if (!('play' in step)) return step;
    const play = parsePlay(step.play, position, step.dice);
    position = turnAround(play.position);
    return { type: 'play', seat: step.seat, dice: step.dice, moves: play.moves };
  });
}

/*
 * A short 3-point match: a hit, a dance, a double and take, a redouble dropped on the left;
 * then the Crawford game, which the right-hand player starts and the left-hand player
 * resigns as a gammon. gnubg 1.07 imports this text and exports it again unchanged.
 */
const GOLDEN_MATCH = [
  '',
  ' 3 point match',
  '',
  ' Game 1',
  ' alice : 0                      bob : 0',
  '  1) 31: 8/5 6/5                 64: 24/18 13/9 ',
  '  2) 62: 13/11 13/7*             65: ',
  '  3)  Doubles => 2                Takes',
  '  4) 43: 11/7 8/5                32: 25/22 13/11 ',
  '  5) 21: 13/11 6/5                Doubles => 4',
  '  6)  Drops                       Wins 2 points ',
  '',
  ' Game 2',
  ' alice : 0                      bob : 2',
  '  1)                             52: 13/11 13/8 ',
  '  2) 66: 24/18 24/18 13/7 13/7    Wins 2 points',
  '',
  '',
].join('\n');

const GOLDEN_RECORD: MatchRecord = {
  players: ['alice', 'bob'],
  matchLength: 3,
  games: [
    {
      score: [0, 0],
      crawford: false,
      events: eventsOf([
        { seat: 0, dice: [3, 1], play: '8/5 6/5' },
        { seat: 1, dice: [6, 4], play: '24/18 13/9' },
        { seat: 0, dice: [6, 2], play: '13/7* 13/11' },
        { seat: 1, dice: [6, 5], play: '' },
        { type: 'double', seat: 0, cube: 2 },
        { type: 'take', seat: 1 },
        { seat: 0, dice: [4, 3], play: '11/7 8/5' },
        { seat: 1, dice: [3, 2], play: 'bar/22 13/11' },
        { seat: 0, dice: [2, 1], play: '13/11 6/5' },
        { type: 'double', seat: 1, cube: 4 },
        { type: 'drop', seat: 0 },
      ]),
      outcome: { winner: 1, points: 2, kind: 'single', by: 'drop' },
    },
    {
      score: [0, 2],
      crawford: true,
      events: eventsOf([
        { seat: 1, dice: [5, 2], play: '13/11 13/8' },
        { seat: 0, dice: [6, 6], play: '24/18(2) 13/7(2)' },
        { type: 'resign', seat: 0, kind: 'gammon' },
        { type: 'accept', seat: 1 },
      ]),
      outcome: { winner: 1, points: 2, kind: 'gammon', by: 'resignation' },
    },
  ],
};

/*
 * A money session with beavers: after the first the doubler rolls on, and the beaverer later
 * redoubles; the second beaver is dropped, as gnubg allows. gnubg 1.07 imports and re-exports
 * this text unchanged too.
 */
const MONEY_SESSION = [
  '',
  ' 0 point match',
  '',
  ' Game 1',
  ' alice : 0                      bob : 0',
  '  1) 31: 8/5 6/5                  Doubles => 2',
  '  2)  Beavers => 4               64: 24/18 13/9 ',
  '  3)  Doubles => 8                Takes',
  '  4) 52: 13/11 13/8              ',
  '      Wins 8 points',
  '',
  ' Game 2',
  ' alice : 8                      bob : 0',
  '  1)                             52: 13/11 13/8 ',
  '  2) 31: 8/5 6/5                  Doubles => 2',
  '  3)  Beavers => 4                Drops',
  '      Wins 2 points',
  '',
  '',
].join('\n');

/** A 3-point match game gnubg 1.07 played against itself and exported, moves in its own order. */
const GNUBG_EXPORT = `; [EventDate "2026.11.26"]

 3 point match

 Game 1
 alice : 0                      bob : 0
  1)                             21: 13/11 24/23 
  2) 52: 13/8 24/22              63: 8/5 11/5 
  3) 53: 8/3 6/3                 62: 13/7 7/5 
  4) 42: 8/4 6/4                 41: 13/9 9/8 
  5) 31: 22/21 24/21             21: 5/3 6/5 
  6) 43: 13/10 10/6              65: 23/18 24/18 
  7) 52: 6/1 3/1                 33: 18/15 18/15 13/10 13/10
  8) 51: 6/5 8/3                 52: 3/1 6/1 
  9) 65: 13/7 7/2                32: 5/3 6/3 
 10) 63: 5/2 8/2                 62: 8/2 3/1 
 11) 51: 2/1 21/16               42: 8/4* 4/2 
 12) 66:                         22: 15/13 13/11 11/9* 3/1
 13) 54: 25/21                   66: 15/9 10/4* 10/4 8/2
 14) 31: 25/22                   43: 9/5 9/6 
 15) 53: 25/22 13/8              52: 5/0 2/0 
 16) 31: 8/5 13/12               32: 6/4 4/1 
 17) 43: 12/9 9/5                63: 5/2 6/0 
 18) 33: 22/19* 19/16 16/13 13/10 32: 
 19)  Doubles => 2                Drops
      Wins 1 point

`;

interface GameState {
  position: Position;
  onRoll: Seat;
  cube: number;
  cubeOwner: Seat | undefined;
  readonly events: GameEvent[];
  outcome: GameOutcome | null;
}

/**
 * A random game: random legal plays, with now and then a double (taken, dropped, or in money
 * play beavered), or an accepted resignation. `maxTurns` cuts it short, unfinished.
 */
function randomGameRecord(random: () => number, score: [number, number], crawford: boolean, money: boolean, maxTurns: number): GameRecord {
  const game: GameState = { position: startPosition(), onRoll: random() < 0.5 ? 0 : 1, cube: 1, cubeOwner: undefined, events: [], outcome: null };
  for (let turn = 0; turn < maxTurns && !game.outcome; turn++) {
    if (turn > 0 && random() < 0.004) resign(game, random);
    else if (turn > 0 && mayDouble(game, crawford) && random() < 0.03) cubeAction(game, random, money);
    if (!game.outcome) rollAndPlay(game, random);
  }
  return { score, crawford, events: game.events, outcome: game.outcome };
}

function mayDouble(game: GameState, crawford: boolean): boolean {
  return !crawford && game.cubeOwner !== otherSeat(game.onRoll) && game.cube * 2 <= MAX_CUBE;
}

function resign(game: GameState, random: () => number): void {
  const resigner: Seat = random() < 0.5 ? game.onRoll : otherSeat(game.onRoll);
  const kind = (['single', 'gammon', 'backgammon'] as const)[Math.floor(random() * 3)]!;
  game.events.push({ type: 'resign', seat: resigner, kind }, { type: 'accept', seat: otherSeat(resigner) });
  game.outcome = { winner: otherSeat(resigner), points: MULTIPLE[kind] * game.cube, kind, by: 'resignation' };
}

function cubeAction(game: GameState, random: () => number, money: boolean): void {
  const doubler = game.onRoll;
  const taker = otherSeat(doubler);
  game.events.push({ type: 'double', seat: doubler, cube: game.cube * 2 });
  const answer = random();
  if (money && answer < 0.25 && game.cube * 4 <= MAX_CUBE) {
    game.events.push({ type: 'beaver', seat: taker, cube: game.cube * 4 });
    // The match engine lets the doubler play on; gnubg also lets the doubler drop.
    if (random() < 0.8) {
      game.cube *= 4;
      game.cubeOwner = taker;
    } else {
      game.events.push({ type: 'drop', seat: doubler });
      game.outcome = { winner: taker, points: game.cube * 2, kind: 'single', by: 'drop' };
    }
  } else {
    answerDouble(game, taker, answer < 0.75);
  }
}

function answerDouble(game: GameState, taker: Seat, takes: boolean): void {
  if (takes) {
    game.events.push({ type: 'take', seat: taker });
    game.cube *= 2;
    game.cubeOwner = taker;
  } else {
    game.events.push({ type: 'drop', seat: taker });
    game.outcome = { winner: otherSeat(taker), points: game.cube, kind: 'single', by: 'drop' };
  }
}

function rollAndPlay(game: GameState, random: () => number): void {
  const dice = randomDice(random);
  const plays = legalPlays(game.position, dice);
  const play = plays[Math.floor(random() * plays.length)];
  game.events.push({ type: 'play', seat: game.onRoll, dice, moves: play ? play.moves : [] });
  const after = play ? play.position : game.position;
  if (after.player[0] === 15) {
    const loser = after.opponent;
    const kind: WinKind = loser[0]! > 0 ? 'single' : loser.slice(19).some((count) => count > 0) ? 'backgammon' : 'gammon';
    game.outcome = { winner: game.onRoll, points: MULTIPLE[kind] * game.cube, kind, by: 'bearoff' };
  }
  game.position = turnAround(after);
  game.onRoll = otherSeat(game.onRoll);
}

/** A whole match (or a money session of a few games); the last game may be left unfinished. */
function randomMatch(seed: number, matchLength: number, players: readonly [string, string], unfinishedLast: boolean): MatchRecord {
  const random = seededRandom(seed);
  const games: GameRecord[] = [];
  const score: [number, number] = [0, 0];
  const moneyGames = 1 + Math.floor(random() * 3);
  let crawfordPlayed = false;
  const matchGoesOn = () => (matchLength > 0 ? Math.max(...score) < matchLength : games.length < moneyGames);
  while (matchGoesOn()) {
    const crawford = matchLength > 0 && !crawfordPlayed && (score[0] === matchLength - 1) !== (score[1] === matchLength - 1);
    if (crawford) crawfordPlayed = true;
    const game = randomGameRecord(random, [score[0], score[1]], crawford, matchLength === 0, Infinity);
    games.push(game);
    score[game.outcome!.winner] += game.outcome!.points;
  }
  if (unfinishedLast) {
    const last = games.pop()!;
    games.push(randomGameRecord(random, [last.score[0], last.score[1]], last.crawford, matchLength === 0, 1 + Math.floor(random() * 30)));
  }
  return { players, matchLength, games };
}

function assertMatError(text: string, message: RegExp): void {
  assert.throws(
    () => parseMat(text),
    (error: unknown) => {
      assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
      assert.equal(error.code, 'INVALID_MAT', error.message);
      assert.match(error.message, message);
      return true;
    },
  );
}

/** The golden match with one line replaced. */
function goldenWith(lineIndex: number, replacement: string): string {
  const lines = GOLDEN_MATCH.split('\n');
  lines[lineIndex] = replacement;
  return lines.join('\n');
}

describe('exportMat', () => {
  it('writes a short match line for line as gnubg writes it', () => {
    assert.deepEqual(exportMat(GOLDEN_RECORD).split('\n'), GOLDEN_MATCH.split('\n'));
  });

  it('writes a money session with beavers as gnubg writes it', () => {
    assert.equal(exportMat(parseMat(MONEY_SESSION)), MONEY_SESSION);
  });

  it('leaves out resignations that were rejected', () => {
    const game = GOLDEN_RECORD.games[0]!;
    const withOffer: GameRecord = {
      ...game,
      events: [...game.events.slice(0, 2), { type: 'resign', seat: 0, kind: 'single' }, { type: 'reject', seat: 1 }, ...game.events.slice(2)],
    };
    assert.equal(exportMat({ ...GOLDEN_RECORD, games: [withOffer] }), exportMat({ ...GOLDEN_RECORD, games: [game] }));
  });

  it('ends an unfinished game\'s last line', () => {
    const game = GOLDEN_RECORD.games[0]!;
    const unfinished: GameRecord = { ...game, events: game.events.slice(0, 3), outcome: null };
    const text = exportMat({ ...GOLDEN_RECORD, games: [unfinished] });
    assert.ok(text.endsWith('  2) 62: 13/11 13/7*             \n'), JSON.stringify(text));
    assert.deepEqual(parseMat(text).games, [unfinished]);
  });

  it('keeps the score line readable whatever the names', () => {
    const text = exportMat({ ...GOLDEN_RECORD, players: ['a:b', ' Ann\tLee '] });
    assert.match(text, /^ a_b : 0 {24}Ann Lee : 0$/m);
    assert.deepEqual(parseMat(text).players, ['a_b', 'Ann Lee']);
  });
});

describe('parseMat', () => {
  it('reads the golden match back to its record', () => {
    assert.deepEqual(parseMat(GOLDEN_MATCH), GOLDEN_RECORD);
  });

  it('reads a money session with beavers', () => {
    const session = parseMat(MONEY_SESSION);
    assert.equal(session.matchLength, 0);
    assert.deepEqual(
      session.games[0]!.events.map((event) => `${event.type} ${event.seat}`),
      ['play 0', 'double 1', 'beaver 0', 'play 1', 'double 0', 'take 1', 'play 0', 'resign 1', 'accept 0'],
    );
    assert.deepEqual(session.games[0]!.events[2], { type: 'beaver', seat: 0, cube: 4 });
    assert.deepEqual(session.games[1]!.outcome, { winner: 0, points: 2, kind: 'single', by: 'drop' });
  });

  it('reads a match gnubg played and exported', () => {
    const match = parseMat(GNUBG_EXPORT);
    assert.deepEqual(match.players, ['alice', 'bob']);
    const game = match.games[0]!;
    assert.deepEqual(game.events[0], parsedPlay(1, [2, 1], '24/23 13/11'));
    assert.equal(game.events.filter((event) => event.type === 'play' && event.moves.length === 0).length, 2);
    assert.deepEqual(game.outcome, { winner: 0, points: 1, kind: 'single', by: 'drop' });
  });

  it('reads what Jellyfish and people write: chains, bar and off, "and the match", CRLF', () => {
    const text = [
      '; a comment',
      ' 1 point match',
      ' Game 1',
      ' alice : 0   bob : 0',
      '  1) 65: 24/13                   64: 24/18 13/9',
      '  2) 64: 13/7* 13/9              21: bar/23 6/5',
      '       Wins 1 point and the match',
    ].join('\r\n');
    const match = parseMat(text);
    assert.deepEqual(match.games[0]!.outcome, { winner: 0, points: 1, kind: 'single', by: 'resignation' });
    assert.equal(match.games[0]!.events.length, 6);
  });

  it('accepts the result after the last checker is borne off, or its absence', () => {
    let seed = 1;
    while (randomMatch(seed, 1, ['alice', 'bob'], false).games[0]!.outcome!.by !== 'bearoff') seed++;
    const text = exportMat(randomMatch(seed, 1, ['alice', 'bob'], false));
    const withoutResult = text.replace(/\n +Wins \d+ points?\n\n$/, '\n');
    assert.notEqual(withoutResult, text);
    assert.deepEqual(parseMat(withoutResult), parseMat(text));
  });

  it('reads back the export of random matches and money sessions', function () {
    this.timeout(120_000);
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,11}( [A-Za-z0-9_]{1,8})?$/);
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(0, 1, 3, 5, 7),
        fc.tuple(name, name),
        fc.boolean(),
        (seed, matchLength, players, unfinishedLast) => {
          const match = randomMatch(seed, matchLength, players, unfinishedLast);
          assert.deepEqual(parseMat(exportMat(match)), match);
        },
      ),
      { numRuns: 100 },
    );
  });
});

function parsedPlay(seat: Seat, dice: Dice, play: string): GameEvent {
  return eventsOf([{ seat, dice, play }])[0]!;
}

describe('parseMat rejections', () => {
  it('asks for the match header', () => {
    assertMatError('', /end of text.*point match/);
    assertMatError(' Game 1\n alice : 0 bob : 0\n', /line 1 "Game 1".*point match/);
  });

  it('names the line of an illegal play', () => {
    assertMatError(goldenWith(5, '  1) 31: 8/4 6/5                 64: 24/18 13/9 '), /line 6 .*"8\/4 6\/5" does not match the dice 3-1/);
    assertMatError(goldenWith(5, '  1) 31: 8/5                     64: 24/18 13/9 '), /line 6 .*must use both dice/);
    assertMatError(goldenWith(5, '  1) 31: 8/5 6/5 hello           64: 24/18 13/9 '), /line 6 .*cannot read "8\/5 6\/5 hello"/);
  });

  it('names the line of a play out of turn', () => {
    assertMatError(goldenWith(6, '  2)                             65: '), /line 7 .*it is alice's turn/);
  });

  it('rejects cube actions that do not fit the cube', () => {
    assertMatError(goldenWith(7, '  3)  Doubles => 4                Takes'), /line 8 .*goes to 2, not 4/);
    assertMatError(goldenWith(7, '  3)  Takes'), /line 8 .*no double for alice to answer/);
    assertMatError(goldenWith(9, '  5) 21: 13/11 6/5                Doubles => 8'), /line 10 .*goes to 4/);
    assertMatError(goldenWith(7, '  3)  Beavers => 4'), /line 8 .*answers the opponent's double/);
    assertMatError(goldenWith(15, '  2)  Doubles => 2'), /line 16 .*Crawford/);
  });

  it('rejects games out of order, changed players and scores that do not follow', () => {
    assertMatError(goldenWith(12, ' Game 3'), /line 13 "Game 3": expected game 2/);
    assertMatError(goldenWith(13, ' alice : 0                      carol : 2'), /line 14 .*alice and bob/);
    assertMatError(goldenWith(13, ' alice : 0                      bob : 1'), /line 14 .*score at 0-2/);
    assertMatError(goldenWith(13, ' alice : 0 bob'), /line 14 .*players and scores/);
  });

  it('rejects results that do not fit the game', () => {
    assertMatError(goldenWith(10, '  6)  Drops                       Wins 3 points '), /line 11 .*worth 2, not 3/);
    assertMatError(goldenWith(15, '  2) 66: 24/18 24/18 13/7 13/7    Wins 5 points'), /line 16 .*1, 2 or 3 times the cube/);
    assertMatError(goldenWith(15, '  2) 66: 24/18 24/18 13/7 13/7    Takes'), /line 16 .*no double/);
    assertMatError(`${GOLDEN_MATCH} Game 3\n alice : 0    bob : 4\n`, /line 19 .*already won/);
  });

  it('rejects lines it cannot read', () => {
    assertMatError(goldenWith(7, '  3)  Doubles to 2'), /line 8 .*Doubles => n/);
    assertMatError(goldenWith(7, '  3)  Doubles => 2   Takes   Drops'), /line 8 .*at most two entries/);
    assertMatError(goldenWith(7, '  3)  Hello'), /line 8 .*"Hello" is not a roll/);
    assertMatError(goldenWith(10, '  6)  Drops                       Wins two points '), /line 11 .*Wins n point/);
  });
});

describe('resignation kinds', () => {
  it('derives the kind from the points and the cube', () => {
    for (const kind of ['single', 'gammon', 'backgammon'] as ResignationKind[]) {
      const text = goldenWith(15, `  2) 66: 24/18 24/18 13/7 13/7    Wins ${MULTIPLE[kind]} point${kind === 'single' ? '' : 's'}`);
      assert.equal(parseMat(text).games[1]!.outcome!.kind, kind);
    }
  });
});
