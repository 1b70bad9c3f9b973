import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enter, waitUntil } from '../support/match-clients.js';
import { clientAt, ServerProcess } from '../support/server-processes.js';
import { checkAll, DrillMatch, eventually, FIRST_PORT, printBackTimes, untilAllPlayed, untilPlayed, type Pace } from './support.js';

const PORT = FIRST_PORT;
const MATCHES = 3;
const PACE: Pace = { matchLength: 1, thinkMs: 40 };

describe('a single server process on the embedded database, killed and started again', function () {
  this.timeout(240_000);
  let folder: string;
  let server: ServerProcess | null = null;

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'tavla-restart-'));
  });

  after(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('resumes every match in progress where it was, with the same players, spectators and dice, plays it to a verified end with nothing shown missing, and forfeits whoever does not come back', async () => {
    const environment = { DATA_DIR: join(folder, 'data'), NODE_ENV: 'test', LOG_LEVEL: 'info' };
    server = await ServerProcess.start(PORT, environment);
    const started = [server];
    const endpoints = () => [server!];
    const played: DrillMatch[] = [];
    for (let index = 0; index < MATCHES; index++) played.push(await DrillMatch.start(server, PACE, index === 0 ? randomBytes(8).toString('hex') : undefined));
    const playing = Promise.all(played.map((match) => match.playToEnd(endpoints)));
    // Left for good: by one player, and by both.
    const leftByBlack = await DrillMatch.start(server, { ...PACE, reconnectSeconds: 10 });
    const leftByBoth = await DrillMatch.start(server, { ...PACE, reconnectSeconds: 1 });
    await untilPlayed(played, 8);
    const killedAt = Date.now();
    for (const match of played) match.expectDisruption(killedAt);
    await server.kill();
    for (const client of [...leftByBlack.clients, ...leftByBoth.clients]) client.connection.close();

    server = await ServerProcess.start(PORT, environment);
    started.push(server);
    const { roomId } = await eventually(server, `/matches/${leftByBlack.matchId}`, (body) => body.roomId !== null);
    const whiteAlone = await enter(clientAt(server, leftByBlack.guests[0]).joinById(roomId));
    await untilAllPlayed(playing, played, () => started);
    assert.ok(played.every((match) => match.backAfterMs.length === 1), 'every match was resumed');
    await checkAll(server, played, 'kill -9 and start again');
    printBackTimes('embedded database, kill -9 to playable again (the restart included)', played);

    // Whoever is not back within reconnectSeconds forfeits, as after any drop.
    await waitUntil(whiteAlone, () => whiteAlone.state.phase === 'over', 'black to forfeit', 15_000);
    const over = whiteAlone.received.find((entry) => entry.type === 'match-over')!.message;
    assert.deepEqual({ winner: over.winner, forfeitedBy: over.forfeitedBy }, { winner: 0, forfeitedBy: 1 });
    await whiteAlone.leave();
    const abandoned = await eventually(server, `/matches/${leftByBoth.matchId}/dice`, () => true);
    assert.equal(abandoned.verification.valid, true);
    assert.equal((await eventually(server, `/matches/${leftByBoth.matchId}`, (body) => body.status !== 'playing')).status, 'finished');
  });
});
