/** After a match: the result, rating changes, the fair-dice check, the replay and the .mat file. */
import { describeError, request } from '../api.js';
import { h, show } from '../dom.js';
import { checkFairDice, type RevealedDice } from '../fair-dice.js';
import type { MatchConnection } from '../match.js';

export interface StoredMatch {
  id: string;
  status: string;
  matchLength: number;
  rated: boolean;
  players: { userId: string | null; name: string; ratingBefore: number | null; ratingAfter: number | null }[];
  score: number[];
  winner: number | null;
}

const shownFor = new WeakMap<HTMLElement, string>();

export function matchResult(root: HTMLElement, connection: MatchConnection): void {
  const matchId = connection.view?.matchId;
  if (!matchId || shownFor.get(root) === matchId) return;
  shownFor.set(root, matchId);
  const ratings = h('p', { class: 'ratings' }, 'Rating changes: waiting for the record…');
  const check = h('p', { class: 'dice-check', 'aria-live': 'polite' });
  const winner = connection.over?.winner ?? connection.view?.winner ?? null;
  show(
    root,
    h('h2', null, winner === null || winner < 0 ? 'Match over' : `${connection.nameOf(winner)} wins the match`),
    h('p', null, `Score ${(connection.over?.score ?? connection.view?.score ?? []).join(' – ')}`),
    ratings,
    h('p', { class: 'links' }, h('a', { href: `#/replay/${matchId}` }, 'Replay this match'), ' · ', h('a', { href: `/matches/${matchId}/mat`, download: `tavla-${matchId}.mat` }, 'Download .mat')),
    h('button', { type: 'button', 'data-action': 'check-dice', onclick: () => void verifyDice(matchId, { commitment: connection.firstCommitment, seed: connection.diceSeed }, check) }, 'Check the dice'),
    check,
  );
  void showRatings(matchId, ratings);
}

async function showRatings(matchId: string, target: HTMLElement): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const match = await request<StoredMatch>('GET', `/matches/${matchId}`).catch(() => null);
    if (match && match.status !== 'playing') return show(target, ratingChanges(match));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  show(target, 'The record of this match is not stored yet.');
}

export function ratingChanges(match: StoredMatch): string {
  if (!match.rated) return 'This match was not rated.';
  return match.players
    .map(({ name, ratingBefore, ratingAfter }) => {
      const change = (ratingAfter ?? 0) - (ratingBefore ?? 0);
      return `${name}: ${Math.round(ratingAfter ?? 0)} (${change >= 0 ? '+' : ''}${change.toFixed(1)})`;
    })
    .join(', ');
}

/** What this page saw before the first roll: the commitment the room published, the seed it sent. */
export interface SeenBeforeRolls {
  commitment: string | null;
  seed: string | null;
}

/** Fetches the revealed seed and recomputes every roll here, in the browser. */
export async function verifyDice(matchId: string, seen: SeenBeforeRolls, target: HTMLElement): Promise<void> {
  show(target, 'Checking every roll…');
  try {
    const revealed = await request<RevealedDice>('GET', `/matches/${matchId}/dice`);
    const report = await checkFairDice(revealed);
    const sameCommitment = seen.commitment === null || seen.commitment === revealed.commitment;
    const seedMixedIn = seen.seed === null || revealed.clientSeeds.includes(seen.seed);
    const fair = report.commitmentMatches && sameCommitment && seedMixedIn && report.mismatches.length === 0;
    target.dataset.verdict = fair ? 'fair' : 'unfair';
    show(
      target,
      fair
        ? `Fair dice: the seed matches the commitment published before the first roll,${seen.seed ? ' your seed was mixed into every roll,' : ''} and all ${report.checked} rolls check out.`
        : `The dice do NOT check out: commitment ${report.commitmentMatches && sameCommitment ? 'matches' : 'differs'}, your seed ${seedMixedIn ? 'was' : 'was NOT'} used, ${report.mismatches.length} roll(s) differ (${report.mismatches.join(', ')}).`,
    );
  } catch (error) {
    show(target, `The dice could not be checked: ${describeError(error)}`);
  }
}
