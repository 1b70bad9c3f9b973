/** A match being played or watched: board, players, actions, feedback and chat. */
import { drawBoard, type BoardPicture } from '../board.js';
import { h, show } from '../dom.js';
import type { MatchConnection, MatchView, PlayerView, Seat } from '../match.js';
import { movableFrom, pipCount, targetsFrom, turnInProgress } from '../rules.js';
import type { Turn } from '../../../src/engine/turn.js';
import { matchResult } from './result.js';

export function gameView(root: HTMLElement, connection: MatchConnection): () => void {
  let selected: number | null = null;
  const players = h('div', { class: 'players' });
  const board = h('div', { class: 'board-wrap' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const feedback = h('p', { class: 'feedback', role: 'alert' });
  const actions = h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Match actions' });
  const result = h('div', { class: 'result' });
  const invitation = h('div', { class: 'invitation' });
  const chatLog = h('ol', { class: 'chat-log', 'aria-label': 'Chat', 'aria-live': 'polite' });
  const chatInput = h('input', { name: 'chat', maxlength: 500, 'aria-label': 'Chat message', placeholder: 'Say something…', autocomplete: 'off' });
  const chatForm = h(
    'form',
    {
      class: 'chat-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        connection.send('chat', { text: chatInput.value });
        chatInput.value = '';
      },
    },
    chatInput,
    h('button', { type: 'submit' }, 'Send'),
  );
  const section = h('section', { class: 'game' }, players, invitation, board, status, feedback, actions, result, h('aside', { class: 'chat' }, chatLog, chatForm));
  show(root, section);

  const mySeat = (): Seat | null => connection.seat;
  const viewerSeat = (): Seat => connection.seat ?? 0;

  function turn(view: MatchView): Turn | null {
    const seat = mySeat();
    if (seat === null || view.phase !== 'moving' || view.toAct !== seat || view.dice.length !== 2) return null;
    const position = { player: view.checkers[seat], opponent: view.checkers[1 - seat]! };
    return turnInProgress(position, [view.dice[0]!, view.dice[1]!], view.moves);
  }

  function move(from: number, to: number): void {
    selected = null;
    connection.send('move', { from, to });
  }

  function render(): void {
    const view = connection.view;
    if (!view) return show(status, 'Joining the match…');
    section.dataset.version = String(view.version);
    section.dataset.phase = view.phase;
    const current = turn(view);
    const movable = new Set(current ? movableFrom(current) : []);
    if (selected !== null && !movable.has(selected)) selected = null;
    const targets = new Set(current && selected !== null ? targetsFrom(current, selected) : []);
    show(players, [viewerSeat(), (1 - viewerSeat()) as Seat].map((seat) => playerCard(view, seat)));
    // Keyboard play: the board is drawn anew, so focus goes on to the next thing to pick.
    const focusedOnBoard = board.contains(document.activeElement);
    show(
      board,
      drawBoard(picture(view, movable, targets), {
        point: (point) => {
          if (selected !== null && targets.has(point)) return move(selected, point);
          selected = movable.has(point) && point !== selected ? point : null;
          render();
        },
        drag: (from, to) => {
          if (current && movable.has(from) && targetsFrom(current, from).includes(to)) move(from, to);
        },
        targetsOf: (from) => (current && movable.has(from) ? targetsFrom(current, from) : [...targets]),
      }),
    );
    if (focusedOnBoard) board.querySelector<SVGElement>('.target, .movable')?.focus();
    show(status, describe(view), connection.notice && h('span', { class: 'notice' }, ` ${connection.notice}`));
    show(invitation, view.phase === 'waiting' && connection.invite ? inviteLink(connection.invite.link) : null);
    show(feedback, connection.refusal && `${connection.refusal.message} (${connection.refusal.code})`);
    show(actions, actionButtons(view));
    show(chatLog, connection.chat.map((line) => h('li', null, h('b', null, `${line.name}: `), line.text)));
    if (connection.over || view.phase === 'over') matchResult(result, connection);
    section.classList.toggle('reconnecting', connection.health !== 'connected');
  }

  function picture(view: MatchView, movable: Set<number>, targets: Set<number>): BoardPicture {
    const seat = viewerSeat();
    const other = (1 - seat) as Seat;
    const myTurn = view.turn === seat && view.dice.length > 0;
    return {
      mine: view.checkers[seat],
      theirs: view.checkers[other],
      myColour: view.players[seat]?.colour ?? 'white',
      myDice: myTurn ? view.dice : (view.players[seat]?.lastDice ?? []),
      theirDice: view.turn === other && view.dice.length > 0 ? view.dice : (view.players[other]?.lastDice ?? []),
      myDiceLeft: myTurn ? view.diceLeft : null,
      cubeValue: view.cubeValue,
      cubeAt: view.cubeOwner === -1 ? 'centre' : view.cubeOwner === seat ? 'mine' : 'theirs',
      movable,
      selected,
      targets,
    };
  }

  function playerCard(view: MatchView, seat: Seat) {
    const player = view.players[seat];
    if (!player) return null;
    const onTurn = view.toAct === seat;
    return h(
      'div',
      { class: `player ${player.colour}${onTurn ? ' on-turn' : ''}`, 'data-seat': seat, 'aria-label': `${player.colour} player` },
      h('span', { class: `chip ${player.colour}`, 'aria-hidden': 'true' }),
      h('span', { class: 'name' }, player.name || 'waiting…', seat === mySeat() ? ' (you)' : '', player.bot ? ' (bot)' : ''),
      h('span', { class: 'rating' }, player.rating ? Math.round(player.rating) : ''),
      h('span', { class: `connection ${player.connected ? 'online' : 'offline'}` }, player.connected ? 'connected' : 'disconnected'),
      h('span', { class: 'pips' }, `${pipCount(view.checkers[seat])} pips`),
      h('span', { class: 'score' }, `${view.score[seat] ?? 0}${view.matchLength ? ` / ${view.matchLength}` : ''}`),
      h('span', { class: 'clock', 'data-clock': seat }, clockText(view, seat, player)),
    );
  }

  function describe(view: MatchView): string {
    const parts = [`Game ${view.gameNumber}`];
    if (view.crawford) parts.push('Crawford game');
    if (view.spectators > 0) parts.push(`${view.spectators} watching`);
    const waitingFor = view.toAct >= 0 ? (view.toAct === mySeat() ? 'you' : connection.nameOf(view.toAct)) : null;
    const doing: Record<string, string> = {
      waiting: 'Waiting for an opponent',
      opening: 'Opening roll',
      rolling: `Waiting for ${waitingFor} to roll`,
      moving: `Waiting for ${waitingFor} to move`,
      doubled: `Waiting for ${waitingFor} to answer the double`,
      resigning: `Waiting for ${waitingFor} to answer the resignation (${view.resignKind})`,
      over: view.winner >= 0 ? `Match over: ${connection.nameOf(view.winner)} wins` : 'Match over',
    };
    if (view.lastResult) parts.push(view.lastResult);
    return `${doing[view.phase] ?? view.phase}. ${parts.join(' · ')}.`;
  }

  function actionButtons(view: MatchView) {
    const seat = mySeat();
    if (seat === null) return h('span', { class: 'watching' }, 'You are watching.');
    const mine = view.toAct === seat;
    const button = (label: string, type: string, payload?: unknown) => h('button', { type: 'button', 'data-action': type, onclick: () => connection.send(type, payload) }, label);
    const buttons = [];
    if (mine && view.phase === 'rolling') buttons.push(button('Roll', 'roll'), button('Double', 'double'));
    if (mine && view.phase === 'moving') buttons.push(button('Undo', 'undo'), button('Confirm', 'confirm'));
    if (mine && view.phase === 'doubled') buttons.push(button('Take', 'take'), button('Drop', 'drop'), button('Beaver', 'beaver'));
    if (mine && view.phase === 'resigning') buttons.push(button('Accept resignation', 'accept'), button('Reject resignation', 'reject'));
    if (view.phase === 'over') buttons.push(button(view.players[seat]?.wantsRematch ? 'Rematch asked' : 'Rematch', 'rematch'));
    if (!['over', 'waiting', 'resigning'].includes(view.phase)) buttons.push(resignControl());
    return buttons;
  }

  function resignControl() {
    const kind = h('select', { 'aria-label': 'Resign how much' }, h('option', { value: 'single' }, 'a single game'), h('option', { value: 'gammon' }, 'a gammon'), h('option', { value: 'backgammon' }, 'a backgammon'));
    return h('span', { class: 'resign' }, h('button', { type: 'button', 'data-action': 'resign', onclick: () => connection.send('resign', { kind: kind.value }) }, 'Resign'), kind);
  }

  const unsubscribe = connection.onChange(render);
  const ticking = setInterval(() => {
    const view = connection.view;
    if (!view || view.clockSeat < 0) return;
    const player = view.players[view.clockSeat];
    const clock = players.querySelector(`[data-clock="${view.clockSeat}"]`);
    if (player && clock) clock.textContent = clockText(view, view.clockSeat as Seat, player);
  }, 250);
  render();
  return () => {
    unsubscribe();
    clearInterval(ticking);
  };
}

/** The private match's link for a friend: opening it takes the free seat. */
function inviteLink(path: string) {
  const url = new URL(path, location.origin).href;
  return h(
    'p',
    null,
    'Invite a friend with this link: ',
    h('a', { href: url, class: 'invite-link' }, url),
    ' ',
    h('button', { type: 'button', onclick: () => void navigator.clipboard?.writeText(url) }, 'Copy'),
  );
}

function clockText(view: MatchView, seat: Seat, player: PlayerView): string {
  if (view.clockDelayMs === 0) return '';
  const running = view.clockSeat === seat;
  const elapsed = running ? Date.now() - view.clockStartedAt : 0;
  const delay = Math.max(0, view.clockDelayMs - elapsed);
  const reserve = Math.max(0, player.reserveMs - Math.max(0, elapsed - view.clockDelayMs));
  return `${running && delay > 0 ? `${Math.ceil(delay / 1000)}s + ` : ''}${formatTime(reserve)}`;
}

function formatTime(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
