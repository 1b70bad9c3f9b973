import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ColyseusTestServer } from '@colyseus/testing';
import { User } from '../../src/db/entities.js';
import { parseMat } from '../../src/engine/index.js';
import { ESTABLISHED_EXPERIENCE } from '../../src/ratings/rated.js';
import { clientWithToken, registerAccount, signUpGuest, type Session } from '../support/accounts.js';
import { sharedTestServices } from '../support/database.js';
import { bootServer, enter, leaveAll, playOneStep, TEST_PORT, waitUntil, type MatchClient } from '../support/match-clients.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;

async function get(path: string, token?: string): Promise<{ status: number; body: any; text: string; type: string }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, text, type, body: type.startsWith('application/json') ? JSON.parse(text) : null };
}

describe('match records, replays and player statistics over HTTP', function () {
  this.timeout(60_000);
  let server: ColyseusTestServer;
  let winner: Session;
  let loser: Session;
  let matchId: string;
  let finalWire: { positionId: string; gnubgMatchId: string; lastEventSeq: number };
  const open: MatchClient[] = [];

  before(async () => {
    server = await bootServer();
    const [white, black] = [await registerAccount('white'), await registerAccount('black')];
    const players = await playOneMatch(white, black);
    const winningSeat = players[0]!.state.winner;
    [winner, loser] = winningSeat === 0 ? [white, black] : [black, white];
    finalWire = players[0]!.state as unknown as typeof finalWire;
    await (await sharedTestServices()).journal.flushed();
    const finished = await get(`/users/${white.user.id}/matches`);
    matchId = finished.body.items[0].id;
  });

  after(async () => {
    await leaveAll(open);
    await server.shutdown();
  });

  async function playOneMatch(white: Session, black: Session): Promise<MatchClient[]> {
    const first = await enter(clientWithToken(white.token).create('match', { matchLength: 1, cube: false, clock: false }));
    const second = await enter(clientWithToken(black.token).joinById(first.roomId));
    open.push(first, second);
    const players = [first, second];
    await waitUntil(first, () => first.state.phase === 'moving' || first.state.phase === 'rolling', 'the opening roll');
    while (first.state.phase !== 'over') await playOneStep(players);
    return players;
  }

  it('lists finished matches and the ones in progress, a page at a time', async () => {
    const waiting = await enter(clientWithToken((await registerAccount('early')).token).create('match', { clock: false }));
    open.push(waiting);
    const joined = await enter(clientWithToken((await registerAccount('late')).token).joinById(waiting.roomId));
    open.push(joined);
    await (await sharedTestServices()).journal.flushed();
    const playing = await get('/matches?status=playing&pageSize=100');
    assert.equal(playing.status, 200);
    const listed = playing.body.items.find((match: { players: { name: string }[] }) => match.players[1]!.name.startsWith('late-'));
    assert.equal(listed.roomId, waiting.roomId, 'a match in progress says which room to join');
    const finished = await get('/matches?status=finished&page=1&pageSize=1');
    assert.equal(finished.body.items.length, 1);
    assert.equal(finished.body.pageSize, 1);
    assert.ok(finished.body.total >= 1);
  });

  it('returns a match with its games and its whole event log', async () => {
    const { status, body } = await get(`/matches/${matchId}`);
    assert.equal(status, 200);
    assert.equal(body.status, 'finished');
    assert.equal(body.players[body.winner].userId, winner.user.id);
    assert.equal(body.games.length, 1);
    assert.equal(body.games[0].winner, body.winner);
    assert.ok(body.games[0].moves > 0);
    assert.deepEqual(body.events.map((event: { seq: number }) => event.seq), body.events.map((_: unknown, index: number) => index + 1));
    assert.equal(body.events[0].type, 'match-created');
    assert.equal(body.events.at(-1).type, 'match-end');
    assert.equal(finalWire.lastEventSeq, body.events.length, 'the state names the last event it shows');
  });

  it('rebuilds the position after any event, ending where the players saw it end', async () => {
    const { body } = await get(`/matches/${matchId}`);
    const last = await get(`/matches/${matchId}/position?after=${body.events.length}`);
    assert.equal(last.status, 200);
    assert.equal(last.body.positionId, finalWire.positionId);
    assert.equal(last.body.gnubgMatchId, finalWire.gnubgMatchId);
    assert.equal(last.body.phase, 'over');
    const gameEnd = body.events.find((event: { type: string }) => event.type === 'game-end');
    const beforeEnd = await get(`/matches/${matchId}/position?after=${gameEnd.seq - 2}`);
    assert.equal(beforeEnd.body.positionId, body.games[0].finalPositionId);
    const opening = await get(`/matches/${matchId}/position?after=1`);
    assert.equal(opening.body.positionId, '4HPwATDgc/ABMA');
    assert.equal((await get(`/matches/${matchId}/position?after=${body.events.length + 1}`)).status, 404);
  });

  it('exports the match as a .mat file that reads back to the same games', async () => {
    const mat = await get(`/matches/${matchId}/mat`);
    assert.equal(mat.status, 200);
    assert.match(mat.type, /^text\/plain/);
    assert.match(mat.text, / 1 point match/);
    const parsed = parseMat(mat.text);
    assert.equal(parsed.games.length, 1);
    assert.equal(parsed.games[0]!.outcome!.winner, (await get(`/matches/${matchId}`)).body.winner);
  });

  it('reveals the dice seed after the match and verifies every roll', async () => {
    const dice = await get(`/matches/${matchId}/dice`);
    assert.equal(dice.status, 200);
    assert.equal(dice.body.verification.valid, true);
    assert.ok(dice.body.rolls.length > 2);
    assert.deepEqual(dice.body.rolls.map((roll: { index: number }) => roll.index), dice.body.rolls.map((_: unknown, index: number) => index));
  });

  it('rates the match by the FIBS formula: 1500 against 1500 in a 1-point match moves 10 points', async () => {
    // Both new (experience 0, K = 5), equal ratings: P = 0.5; 4 * sqrt(1) * 0.5 * 5 = 10.
    const won = await get(`/users/${winner.user.id}/stats`);
    const lost = await get(`/users/${loser.user.id}/stats`);
    assert.equal(won.body.stats.rating.current, 1510);
    assert.equal(won.body.stats.rating.best, 1510);
    assert.equal(lost.body.stats.rating.current, 1490);
    assert.equal(won.body.stats.rating.experience, 1);
    assert.deepEqual(won.body.stats.matches, { played: 1, won: 1, lost: 0, winRate: 1, inProgress: 0 });
    assert.deepEqual(lost.body.stats.games, { played: 1, won: 0, lost: 1, winRate: 0 });
    const history = await get(`/users/${loser.user.id}/ratings`);
    assert.deepEqual(history.body.history.map((change: { before: number; after: number }) => [change.before, change.after]), [[1500, 1490]]);
    const match = (await get(`/matches/${matchId}`)).body;
    assert.deepEqual(match.players.map((player: { ratingBefore: number }) => player.ratingBefore), [1500, 1500]);
  });

  it('ranks players on the leaderboard by rating once their ratings are no longer provisional', async () => {
    const listed = async () => (await get('/leaderboard?pageSize=100')).body.items.map((entry: { id: string }) => entry.id) as string[];
    const players = [winner.user.id, loser.user.id];
    assert.ok(!(await listed()).some((id) => players.includes(id)), 'one match leaves both ratings provisional');
    assert.equal((await get(`/users/${winner.user.id}`)).body.provisional, true);
    await (await sharedTestServices()).database.em().nativeUpdate(User, { id: { $in: players } }, { experience: ESTABLISHED_EXPERIENCE });
    assert.equal((await get(`/users/${winner.user.id}`)).body.provisional, false);
    const board = await get('/leaderboard?pageSize=100');
    assert.equal(board.status, 200);
    const ids = board.body.items.map((entry: { id: string }) => entry.id);
    assert.ok(ids.includes(loser.user.id));
    assert.ok(ids.indexOf(winner.user.id) < ids.indexOf(loser.user.id));
    assert.equal(board.body.items[0].rank, 1);
    assert.ok(board.body.items.every((entry: Record<string, unknown>) => !('email' in entry)));
  });

  it('shows an account’s private fields to its owner only', async () => {
    const mine = await get(`/users/${winner.user.id}`, winner.token);
    assert.match(mine.body.email, /@example\.org$/);
    const guest = await signUpGuest();
    const theirs = await get(`/users/${winner.user.id}`, guest.token);
    assert.equal(theirs.status, 200);
    assert.equal(theirs.body.email, undefined);
    assert.equal(theirs.body.lastLoginAt, undefined);
    assert.equal((await get(`/users/${winner.user.id}`, 'forged.token.value')).status, 401);
  });

  it('answers bad or hostile parameters in every route with a 4xx and a message, never a 500', async () => {
    const hostile = ["' OR 1=1 --", '1; DROP TABLE users', '../../etc/passwd', '%00', 'x'.repeat(300), '1e9999'];
    const paths: string[] = [];
    for (const value of hostile.map(encodeURIComponent)) {
      paths.push(`/matches/${value}`, `/matches/${value}/position?after=1`, `/matches/${value}/mat`, `/matches/${value}/dice`);
      paths.push(`/users/${value}`, `/users/${value}/stats`, `/users/${value}/matches`, `/users/${value}/ratings`);
      paths.push(`/matches?status=${value}`, `/matches?page=${value}`, `/leaderboard?pageSize=${value}`, `/users/${winner.user.id}/matches?page=${value}`);
      paths.push(`/matches/${matchId}/position?after=${value}`);
    }
    paths.push(`/matches/${randomUUID()}`, `/users/${randomUUID()}/stats`, `/matches/${matchId}/position?after=0`, '/leaderboard?pageSize=101', '/matches?sort=id');
    for (const path of paths) {
      const reply = await get(path);
      assert.ok(reply.status >= 400 && reply.status < 500, `${path} answered ${reply.status}`);
      assert.equal(typeof reply.body?.error, 'string', `${path} explained nothing: ${reply.text}`);
    }
  });

  it('keeps the dice seed secret while a match is in progress', async () => {
    const listed = await get('/matches?status=playing&pageSize=1');
    const playing = listed.body.items[0];
    const dice = await get(`/matches/${playing.id}/dice`);
    assert.equal(dice.status, 409);
    assert.equal(dice.body.code, 'NOT_REVEALED');
  });
});
