// The entry of the Tavla client types: the state's schema classes and the protocol's types.
import type { Match } from './schema.js';
import type { MatchRoomType } from './protocol.js';

export * from './schema.js';
export type * from './protocol.js';

/** The match room, for the SDK's typed joins: `client.create<MatchRoom>('match', options, Match)`. */
export type MatchRoom = MatchRoomType<Match>;
