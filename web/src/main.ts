/** The web client's routes (in the URL's hash, so the server serves one page for all of them). */
import { describeError } from './api.js';
import { h, show } from './dom.js';
import { joinMatch, type MatchConnection } from './match.js';
import { account, onAccountChange, playAsGuest } from './session.js';
import { gameView } from './views/game.js';
import { homeView } from './views/home.js';

const app = document.getElementById('app')!;
const accountLink = document.getElementById('account')!;
let closeView: () => void = () => undefined;
/** The match the player is in: kept across routes so that a quick match hands its room over. */
let connection: MatchConnection | null = null;

function go(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

function enterMatch(joined: MatchConnection): void {
  connection = joined;
  go(`#/play/${joined.roomId}`);
}

async function route(): Promise<void> {
  closeView();
  closeView = () => undefined;
  const [path = '', query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query);
  try {
    if (parts[0] === 'play' && parts[1]) await playRoute(parts[1], params);
    else if (parts[0] === 'replay' && parts[1]) (await import('./views/replay.js')).replayView(app, parts[1]);
    else if (parts[0] === 'profile' && parts[1]) await (await import('./views/profile.js')).profileView(app, parts[1]);
    else if (parts[0] === 'leaderboard') await (await import('./views/profile.js')).leaderboardView(app);
    else closeView = homeView(app, enterMatch);
  } catch (error) {
    show(app, h('p', { class: 'feedback', role: 'alert' }, describeError(error)), h('p', null, h('a', { href: '#/' }, 'Back to the start page')));
  }
}

async function playRoute(roomId: string, params: URLSearchParams): Promise<void> {
  if (connection?.roomId !== roomId) {
    show(app, h('p', { role: 'status' }, 'Joining the match…'));
    // An invite link may be the first page a visitor sees: play as a guest then.
    if (!account()) await playAsGuest();
    const invite = params.get('invite');
    connection = await joinMatch(roomId, { ...(invite ? { invite } : {}), ...(params.has('watch') ? { spectate: true } : {}) });
  }
  closeView = gameView(app, connection);
}

function showAccount(): void {
  const me = account();
  show(accountLink, me ? h('a', { href: `#/profile/${me.id}` }, me.name) : null);
}

const signedInAs = () => JSON.stringify([account()?.id, account()?.guest, account()?.name]);
let shownAccount = signedInAs();
// A refreshed token changes nothing on the page; another account (or none) does.
onAccountChange(() => {
  if (signedInAs() === shownAccount) return;
  shownAccount = signedInAs();
  showAccount();
  if (!location.hash.startsWith('#/play/')) void route();
});
window.addEventListener('hashchange', () => void route());
showAccount();
void route();
