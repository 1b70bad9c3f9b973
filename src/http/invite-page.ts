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
 * join with; for a browser, a page saying the same. 404 once the match's room is gone.
 */
export const invitePage: RequestHandler = async (request, response) => {
  const { params, query } = validated(inviteLink, { params: request.params, query: request.query });
  const [room] = await matchMaker.query({ roomId: params.roomId, name: 'match' });
  if (!room) throw new HttpFailure(404, 'NO_SUCH_ROOM', 'this match has ended or never existed');
  const invitation = { room: 'match', roomId: params.roomId, invite: query.invite ?? null };
  response.format({
    json: () => response.json(invitation),
    html: () => response.type('html').send(invitationHtml(invitation.roomId, invitation.invite)),
    default: () => response.json(invitation),
  });
};

function invitationHtml(roomId: string, invite: string | null): string {
  const joinCall = `client.joinById('${roomId}'${invite ? `, { invite: '${invite}' }` : ''})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tavla: an invitation to a match</title></head>
<body><main>
<h1>You are invited to a backgammon match</h1>
<p>This server has no web client yet. Join the match from a Colyseus client with <code>${joinCall}</code>.</p>
</main></body></html>
`;
}
