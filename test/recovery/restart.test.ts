import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../support/match-clients.js';
import { ServerProcess } from '../support/server-processes.js';
import { eventuallyJson, FIRST_PORT, getJson, joinWhenOpen, pick, playToVerifiedEnd, rejoin, startMatch, untilLogged, type PlayedMatch } from './support.js';

const PORT = FIRST_PORT;
const MATCHES = 3;

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

  it('resumes every match in progress where it was, with the same players, spectators and dice, plays it to a verified end, and forfeits whoever does not come back', async () => {
    const environment = { DATA_DIR: join(folder, 'data'), NODE_ENV: 'test', LOG_LEVEL: 'info' };
    server = await ServerProcess.start(PORT, environment);
    const played: PlayedMatch[] = [];
    for (let index = 0; index < MATCHES; index++) played.push(await startMatch(server));
    // Left for good: by one player, and by both.
    const leftByBlack = await startMatch(server, 10);
    const leftByBoth = await startMatch(server, 1);
    const everyClient = [...played, leftByBlack, leftByBoth].flatMap((match) => match.clients);
    await untilLogged(server, [...played, leftByBlack, leftByBoth]);
    await server.kill();
    for (const client of everyClient) client.connection.close();

    server = await ServerProcess.start(PORT, environment);
    const whiteAlone = await joinWhenOpen(server, leftByBlack.guests[0], leftByBlack.roomId);
    for (const match of played) await playToVerifiedEnd(server, match, await rejoin(server, match));

    // Whoever is not back within reconnectSeconds forfeits, as after any drop.
    await waitUntil(whiteAlone, () => whiteAlone.state.phase === 'over', 'black to forfeit', 15_000);
    assert.deepEqual(pick(whiteAlone.received.find((entry) => entry.type === 'match-over')!.message), { winner: 0, forfeitedBy: 1 });
    await whiteAlone.leave();
    const abandoned = await eventuallyJson(server, `/matches/${leftByBoth.matchId}/dice`);
    assert.equal(abandoned.verification.valid, true);
    assert.equal((await getJson(server, `/matches/${leftByBoth.matchId}`)).status, 'finished');
  });
});

