/** The start page: signing in, quick match, new matches against people or a bot, and the lobby. */
import { Client } from '@colyseus/sdk';
import { LEVELS } from '../../../src/bots/levels.js';
import { describeError } from '../api.js';
import { h, show } from '../dom.js';
import { createMatch, quickMatch, type MatchConnection } from '../match.js';
import { account, convertGuest, logIn, logOut, playAsGuest, register } from '../session.js';

/** The bots offered (the match room's `bot` option): the random player, then the named levels, weakest first. */
const BOT_CHOICES = [
  { value: 'random', label: 'random moves' },
  ...(['beginner', 'intermediate', 'advanced', 'expert'] as const).map((level) => ({ value: level, label: LEVELS[level].name })),
];
const MATCH_LENGTHS = [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25];

export function homeView(root: HTMLElement, enter: (connection: MatchConnection) => void): () => void {
  const feedback = h('p', { class: 'feedback', role: 'alert' });
  const report = (error: unknown) => show(feedback, describeError(error));
  const attempt = (work: () => Promise<unknown>) => () => {
    show(feedback);
    work().catch(report);
  };
  if (!account()) {
    show(root, h('section', { class: 'home' }, h('h1', null, 'Play backgammon'), feedback, signInForms(attempt)));
    return () => undefined;
  }
  const lobby = h('ul', { class: 'lobby', 'aria-label': 'Matches in the lobby' });
  const closeLobby = watchLobby(lobby);
  show(
    root,
    h(
      'section',
      { class: 'home' },
      h('h1', null, 'Play backgammon'),
      feedback,
      accountPanel(attempt),
      quickMatchForm(attempt, enter),
      newMatchForm(attempt, enter),
      h('h2', null, 'Lobby'),
      lobby,
    ),
  );
  return closeLobby;
}

type Attempt = (work: () => Promise<unknown>) => () => void;

function field(label: string, name: string, type = 'text') {
  return h('label', null, label, h('input', { name, type, required: true, autocomplete: type === 'password' ? 'current-password' : name }));
}

function valuesOf(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)]));
}

function form(label: string, submit: string, fields: HTMLElement[], act: (values: Record<string, string>) => Promise<unknown>, attempt: Attempt) {
  const element: HTMLFormElement = h('form', { 'aria-label': label, class: label.toLowerCase().replace(/\W+/g, '-') }, h('h2', null, label), fields, h('button', { type: 'submit' }, submit));
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(() => act(valuesOf(element)))();
  });
  return element;
}

function signInForms(attempt: Attempt) {
  return [
    h('button', { type: 'button', class: 'primary', 'data-action': 'guest', onclick: attempt(playAsGuest) }, 'Play as a guest'),
    form('Log in', 'Log in', [field('Email', 'email', 'email'), field('Password', 'password', 'password')], ({ email, password }) => logIn(email!, password!), attempt),
    form('Sign up', 'Sign up', [field('Email', 'email', 'email'), field('Name', 'name'), field('Password', 'password', 'password')], ({ email, password, name }) => register(email!, password!, name!), attempt),
  ];
}

function accountPanel(attempt: Attempt) {
  const me = account()!;
  return h(
    'div',
    { class: 'account' },
    h('p', null, 'Signed in as ', h('a', { href: `#/profile/${me.id}` }, me.name), me.guest ? ' (guest)' : ` · rating ${Math.round(me.rating)}`, ' ', h('button', { type: 'button', onclick: attempt(logOut) }, 'Log out')),
    me.guest &&
      form('Keep this account', 'Create the account', [field('Email', 'email', 'email'), field('Name', 'name'), field('Password', 'password', 'password')], ({ email, password, name }) => convertGuest(email!, password!, name!), attempt),
  );
}

function lengthSelect(name: string) {
  return h('label', null, 'Match to ', h('select', { name }, MATCH_LENGTHS.map((length) => h('option', { value: length }, `${length} point${length > 1 ? 's' : ''}`))));
}

function quickMatchForm(attempt: Attempt, enter: (connection: MatchConnection) => void) {
  const waiting = h('p', { class: 'waiting', 'aria-live': 'polite' });
  let cancel: AbortController | null = null;
  const start = async (values: Record<string, string>) => {
    cancel?.abort();
    cancel = new AbortController();
    const stop = cancel;
    const cancelButton = h('button', { type: 'button', onclick: () => stop.abort() }, 'Cancel');
    show(waiting, 'Looking for an opponent… ', cancelButton);
    try {
      enter(await quickMatch(Number(values.length), (players) => show(waiting, `Looking for an opponent… (${players} in your group) `, cancelButton), stop.signal));
    } finally {
      show(waiting);
    }
  };
  const element = form('Quick match', 'Find an opponent', [lengthSelect('length')], start, attempt);
  element.append(waiting);
  return element;
}

function newMatchForm(attempt: Attempt, enter: (connection: MatchConnection) => void) {
  const opponent = h(
    'label',
    null,
    'Opponent ',
    h('select', { name: 'opponent' }, h('option', { value: 'person' }, 'a person (invite link)'), BOT_CHOICES.map(({ value, label }) => h('option', { value }, `bot: ${label}`))),
  );
  const privately = h('label', null, h('input', { type: 'checkbox', name: 'private', value: 'yes' }), ' Private (only people with the link)');
  return form(
    'New match',
    'Create the match',
    [lengthSelect('length'), opponent, privately],
    async (values) => {
      const bot = values.opponent === 'person' ? undefined : values.opponent;
      enter(await createMatch({ matchLength: Number(values.length), private: values.private === 'yes', ...(bot ? { bot } : {}) }));
    },
    attempt,
  );
}

interface Listing {
  roomId: string;
  metadata?: { status?: string; matchLength?: number; players?: string[]; score?: number[] };
}

/** The lobby room's live list of public matches, waiting ones to join and the others to watch. */
function watchLobby(list: HTMLElement): () => void {
  const rooms = new Map<string, Listing>();
  const draw = () =>
    show(
      list,
      rooms.size === 0 ? h('li', null, 'No public matches right now.') : null,
      [...rooms.values()].map(({ roomId, metadata }) => {
        const waiting = metadata?.status === 'waiting';
        const players = (metadata?.players ?? []).filter(Boolean).join(' vs ') || 'someone';
        return h(
          'li',
          null,
          `${players} · ${metadata?.matchLength ?? '?'} points · ${metadata?.status ?? ''} `,
          h('a', { href: `#/play/${roomId}${waiting ? '' : '?watch=1'}` }, waiting ? 'Join' : 'Watch'),
        );
      }),
    );
  const client = new Client(import.meta.env.VITE_TAVLA_SERVER ?? location.origin);
  let leave = () => undefined as unknown;
  client
    .joinOrCreate('lobby', { filter: { name: 'match' } })
    .then((lobby) => {
      lobby.onMessage('rooms', (listings: Listing[]) => {
        rooms.clear();
        listings.forEach((listing) => rooms.set(listing.roomId, listing));
        draw();
      });
      lobby.onMessage('+', ([roomId, listing]: [string, Listing]) => {
        rooms.set(roomId, listing);
        draw();
      });
      lobby.onMessage('-', (roomId: string) => {
        rooms.delete(roomId);
        draw();
      });
      leave = () => lobby.leave();
    })
    .catch((error: unknown) => show(list, h('li', null, `The lobby is unavailable: ${describeError(error)}`)));
  draw();
  return () => leave();
}
