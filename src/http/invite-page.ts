import { matchMaker } from '@colyseus/core';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpFailure, validated } from './errors.js';

const inviteLink = z.object({
  params: z.object({ roomId: z.string().regex(/^[\w-]{1,64}$/, 'is not a room id') }),
  query: z.object({ invite: z.string().regex(/^[\w-]{1,64}$/, 'is not an invite code') }).partial(),
});

/**
 * What an invite link (`/match/<roomId>?invite=<code>`) opens: for a program, the room and code to
 * join with; a browser goes on to the web client's join view. 404 once the match's room is gone.
 */
export const invitePage: RequestHandler = async (request, response) => {
  const { params, query } = validated(inviteLink, { params: request.params, query: request.query });
  const [room] = await matchMaker.query({ roomId: params.roomId, name: 'match' });
  if (!room) throw new HttpFailure(404, 'NO_SUCH_ROOM', 'this match has ended or never existed');
  const invitation = { room: 'match', roomId: params.roomId, invite: query.invite ?? null };
  response.format({
    json: () => response.json(invitation),
    html: () => response.redirect(303, webClientJoinPath(invitation.roomId, invitation.invite)),
    default: () => response.json(invitation),
  });
};

/** The web client's route that joins the match (web/src/main.ts). */
function webClientJoinPath(roomId: string, invite: string | null): string {
  return `/#/play/${roomId}${invite ? `?invite=${invite}` : ''}`;
}
