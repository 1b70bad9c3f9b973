import type { RebuiltMatch } from './rebuild.js';

/**
 * Rebuilt matches waiting for their room, by the room id they are created under. A room looks
 * here as it is created: the id is chosen by this process, never by a client, so no client can
 * create a room that takes over a match.
 */
const waiting = new Map<string, RebuiltMatch>();

export function awaitRoom(roomId: string, rebuilt: RebuiltMatch): void {
  waiting.set(roomId, rebuilt);
}

/** The match the room `roomId` continues, once; undefined for a new room. */
export function takeRebuiltMatch(roomId: string): RebuiltMatch | undefined {
  const rebuilt = waiting.get(roomId);
  waiting.delete(roomId);
  return rebuilt;
}
