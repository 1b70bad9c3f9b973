import { handOverMatch } from '../db/live-servers.js';
import type { Database } from '../db/orm.js';
import type { Liveness } from './liveness.js';

/**
 * Why a room lets its match go on elsewhere: this process shuts down; its presence lapsed (it
 * stalled, or lost Redis, for longer than the presence TTL) so that the others may be taking its
 * matches over; or another process has taken the match over already (the journal refused its events).
 */
export type MoveCause = 'shutdown' | 'lapsed' | 'taken';

/** A room playing a match that can go on in another room. */
export interface MovableRoom {
  /** Tells the room's clients where the match goes on (`moving`) and closes the room. */
  moveAway(cause: MoveCause): Promise<void>;
}

/** The rooms of this process playing matches, by match id: those to move when the matches must go on elsewhere. */
export class RoomsHere {
  private readonly rooms = new Map<string, MovableRoom>();

  add(matchId: string, room: MovableRoom): void {
    this.rooms.set(matchId, room);
  }

  delete(matchId: string, room: MovableRoom): void {
    if (this.rooms.get(matchId) === room) this.rooms.delete(matchId);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Another process plays these matches now. */
  takenOver(matchIds: readonly string[]): void {
    for (const matchId of matchIds) void this.rooms.get(matchId)?.moveAway('taken');
  }

  /** This process's presence lapsed: every match it plays may be taken over, so each moves. */
  lapsed(): void {
    for (const room of this.rooms.values()) void room.moveAway('lapsed');
  }
}

/** Lets go of a match for the next claim (see handOverMatch), then tells the other processes to look. */
export type HandOver = (matchId: string, nextRoomId: string) => Promise<string | null>;

export function handOverWith(database: Database, serverId: string, liveness: Pick<Liveness, 'handedOver'>): HandOver {
  return async (matchId, nextRoomId) => {
    const roomId = await handOverMatch(database, matchId, serverId, nextRoomId);
    // Without the nudge the others find the match at their next full look, seconds later.
    await liveness.handedOver().catch(() => undefined);
    return roomId;
  };
}
