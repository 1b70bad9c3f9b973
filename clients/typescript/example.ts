/**
 * A client outside the server's code, typed with this package: it signs in as a guest, creates a
 * match and prints the state as the generated `Match` class decodes it (one line of JSON).
 *
 *   npx tsx --tsconfig clients/typescript/tsconfig.json clients/typescript/example.ts http://localhost:2567
 */
import { Client } from '@colyseus/sdk';
import { Match, type AccountView, type MatchRoom, type MatchRoomOptions, type TokenPair } from './index.js';

const httpUrl = process.argv[2] ?? 'http://localhost:2567';
const answer = await fetch(`${httpUrl}/auth/guest`, { method: 'POST' });
if (!answer.ok) throw new Error(`guest sign-up failed: ${answer.status} ${await answer.text()}`);
const guest = (await answer.json()) as TokenPair & { user: AccountView };

const client = new Client(httpUrl.replace(/^http/, 'ws'));
client.auth.token = guest.token;
const options: MatchRoomOptions = { matchLength: 3, clock: false };
const room = await client.create<MatchRoom>('match', options, Match);
// Handlers go on right after joining: the SDK drops messages of types without one.
const seated = new Promise<{ seat: 0 | 1 | null }>((resolve) => room.onMessage('seat', (message) => resolve(message)));
const firstState = new Promise<Match>((resolve) => (room.state?.players?.length ? resolve(room.state) : room.onStateChange.once(resolve)));
room.send('chat', { text: 'hello' });
const [{ seat }, state] = await Promise.all([seated, firstState]);
console.log(JSON.stringify({ name: guest.user.name, seat, decodedBy: state.constructor.name, state: state.toJSON() }));
await room.leave();
