/** A player's profile (stats, rating history as a chart, matches) and the leaderboard. */
import { request } from '../api.js';
import { h, s, show } from '../dom.js';
import type { StoredMatch } from './result.js';

interface PublicUser {
  id: string;
  name: string;
  guest: boolean;
  rating: number;
  provisional: boolean;
}

interface Page<T> {
  items: T[];
  total: number;
}

interface Record {
  played: number;
  won: number;
  lost: number;
  winRate: number | null;
}

interface Stats {
  matches: Record & { inProgress: number };
  games: Record;
  gammons: { won: number; lost: number };
  backgammons: { won: number; lost: number };
  rating: { current: number; best: number; experience: number };
  analysis: { games: number; errorRate: number | null; rating: string | null; errors: number; blunders: number };
}

interface RatingPoint {
  matchId: string | null;
  before: number;
  after: number;
  at: string;
}

const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 100)}%`);

export async function profileView(root: HTMLElement, userId: string): Promise<void> {
  const [{ user, stats }, { history }, matches] = await Promise.all([
    request<{ user: PublicUser; stats: Stats }>('GET', `/users/${userId}/stats`),
    request<{ history: RatingPoint[] }>('GET', `/users/${userId}/ratings`),
    request<Page<StoredMatch & { endedAt: string | null }>>('GET', `/users/${userId}/matches`),
  ]);
  show(
    root,
    h(
      'section',
      { class: 'profile' },
      h('h1', null, user.name, user.guest ? ' (guest)' : ''),
      h('p', null, `Rating ${Math.round(stats.rating.current)}${user.provisional ? ' (provisional)' : ''} · best ${Math.round(stats.rating.best)} · experience ${stats.rating.experience}`),
      h(
        'table',
        { class: 'stats' },
        h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'Played'), h('th', null, 'Won'), h('th', null, 'Lost'), h('th', null, 'Win rate'))),
        h(
          'tbody',
          null,
          (['matches', 'games'] as const).map((kind) => h('tr', null, h('th', null, kind), h('td', null, stats[kind].played), h('td', null, stats[kind].won), h('td', null, stats[kind].lost), h('td', null, percent(stats[kind].winRate)))),
        ),
      ),
      h('p', null, `Gammons won ${stats.gammons.won}, lost ${stats.gammons.lost} · backgammons won ${stats.backgammons.won}, lost ${stats.backgammons.lost}`),
      h('p', { class: 'error-rate' }, analysisLine(stats.analysis)),
      h('h2', null, 'Rating history'),
      ratingChart(history),
      h('h2', null, 'Matches'),
      h(
        'ul',
        { class: 'match-list' },
        matches.items.length === 0 ? h('li', null, 'No matches yet.') : null,
        matches.items.map((match) =>
          h('li', null, `${match.players.map((player) => player.name).join(' vs ')} · ${match.score.join('–')} of ${match.matchLength} · ${match.status} `, match.status === 'playing' ? null : h('a', { href: `#/replay/${match.id}` }, 'Replay')),
        ),
      ),
    ),
  );
}

/** The average error rate over the analysed games, on GNU Backgammon's scale (thousandths of equity per decision). */
function analysisLine(analysis: Stats['analysis']): string {
  if (analysis.games === 0 || analysis.errorRate === null) return 'No analysed games yet.';
  const games = `${analysis.games} analysed game${analysis.games === 1 ? '' : 's'}`;
  return `Average error rate ${analysis.errorRate.toFixed(1)} (${analysis.rating}) over ${games} · errors ${analysis.errors}, blunders ${analysis.blunders}`;
}

function ratingChart(history: readonly RatingPoint[]) {
  if (history.length === 0) return h('p', null, 'No rated matches yet.');
  const ratings = [history[0]!.before, ...history.map((point) => point.after)];
  const low = Math.min(...ratings) - 5;
  const high = Math.max(...ratings) + 5;
  const x = (index: number) => 40 + (index * 540) / Math.max(1, ratings.length - 1);
  const y = (rating: number) => 190 - ((rating - low) / (high - low)) * 170;
  const line = ratings.map((rating, index) => `${x(index)},${y(rating)}`).join(' ');
  return s(
    'svg',
    { viewBox: '0 0 600 210', class: 'chart', role: 'img', 'aria-label': `Rating from ${Math.round(ratings[0]!)} to ${Math.round(ratings.at(-1)!)} over ${history.length} rated matches` },
    s('text', { x: 2, y: 24 }, Math.round(high)),
    s('text', { x: 2, y: 190 }, Math.round(low)),
    s('polyline', { points: line, class: 'rating-line' }),
    ratings.map((rating, index) => s('circle', { cx: x(index), cy: y(rating), r: 3 }, s('title', null, String(Math.round(rating))))),
  );
}

export async function leaderboardView(root: HTMLElement): Promise<void> {
  const board = await request<Page<PublicUser & { rank: number }>>('GET', '/leaderboard?pageSize=50');
  show(
    root,
    h(
      'section',
      { class: 'leaderboard' },
      h('h1', null, 'Leaderboard'),
      board.items.length === 0
        ? h('p', null, 'No established ratings yet: the leaderboard lists registered players once their rating is no longer provisional.')
        : h(
            'table',
            null,
            h('thead', null, h('tr', null, h('th', null, 'Rank'), h('th', null, 'Player'), h('th', null, 'Rating'))),
            h('tbody', null, board.items.map((user) => h('tr', null, h('td', null, user.rank), h('td', null, h('a', { href: `#/profile/${user.id}` }, user.name)), h('td', null, Math.round(user.rating))))),
          ),
    ),
  );
}
