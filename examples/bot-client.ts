/**
 * A bot as any outside client would write it: it signs in as a guest, joins the quick-match queue,
 * and plays random legal plays until its match is over. Start two of them and they play each other:
 *
 *   npm start                                                  # in one terminal
 *   npx tsx examples/bot-client.ts http://localhost:2567 1 &   # twice: server, match length
 *   npx tsx examples/bot-client.ts http://localhost:2567 1
 */
import type { Client, Room } from '@colyseus/sdk';
import type { MatchRoomMessages, QuickMatchMessages } from '../clients/typescript/protocol.js';
import { guestClient, playSeat, type MatchState } from './readme-client.js';

export interface BotResult {
  matchId: string;
  /** The seat this bot played. */
  seat: 0 | 1;
  over: MatchRoomMessages['match-over'];
}

/** Waits in the quick-match queue until it pairs this client, then takes the seat it reserved. */
export async function quickMatch(client: Client, matchLength: number): Promise<Room<unknown, MatchState>> {
  const queue = await client.joinOrCreate('quickmatch', { matchLength });
  queue.onMessage('clients', (_waiting: QuickMatchMessages['clients']) => undefined);
  const reservation = await new Promise<QuickMatchMessages['seat']>((resolve) => queue.onMessage('seat', resolve));
  const room = await client.consumeSeatReservation<MatchState>(reservation);
  queue.send('confirm');
  return room;
}

/** Signs in as a guest, quick-matches for a match of `matchLength` points and plays it to the end. */
export async function playQuickMatch(httpUrl: string, matchLength = 1, log: (line: string) => void = () => undefined): Promise<BotResult> {
  const room = await quickMatch(await guestClient(httpUrl), matchLength);
  // Handlers go on right after joining: the SDK drops messages of types without one.
  const seated = new Promise<MatchRoomMessages['seat']>((resolve) => room.onMessage('seat', resolve));
  const over = new Promise<MatchRoomMessages['match-over']>((resolve) => room.onMessage('match-over', resolve));
  room.onMessage('error', ({ type, code, message }: MatchRoomMessages['error']) => log(`refused ${type}: ${code} ${message}`));
  room.onMessage('game-over', ({ winner, points, kind }: MatchRoomMessages['game-over']) => log(`seat ${winner} wins a ${kind} game: ${points} points`));
  room.onMessage('*', () => undefined);
  const { seat, matchId } = await seated;
  if (seat === null) throw new Error('quick match seated this bot as a spectator');
  log(`playing seat ${seat} of match ${matchId}`);
  playSeat(room, seat, Math.random);
  const result = await over;
  await room.leave();
  return { matchId, seat, over: result };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? 'http://localhost:2567';
  const { seat, over, matchId } = await playQuickMatch(url, Number(process.argv[3] ?? 1), console.log);
  console.log(`${over.winner === seat ? 'won' : 'lost'} ${over.score.join('-')}; the record: ${url}/matches/${matchId}`);
}
