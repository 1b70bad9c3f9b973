/** Steps through every event of a stored match, drawing the position after each one. */
import { request } from '../api.js';
import { drawBoard } from '../board.js';
import { h, show } from '../dom.js';
import { pipCount } from '../rules.js';
import type { StoredMatch } from './result.js';

interface MatchEvent {
  seq: number;
  type: string;
  seat?: number;
  dice?: number[];
  from?: number;
  to?: number;
}

interface ReplayedPosition {
  seq: number;
  type: string;
  phase: string;
  gameNumber: number;
  turn: number;
  dice: number[] | null;
  cube: { value: number; owner: number | null };
  score: number[];
  boards: [number[], number[]];
  positionId: string;
}

interface AnalysedDecision {
  seq: number;
  seat: number;
  kind: string;
  played: string;
  best: string;
  equityLost: number;
  skill: string | null;
}

interface MatchAnalysis {
  status: 'pending' | 'done';
  players: { name: string; errorRate: number | null; rating: string | null }[];
  games: { decisions: AnalysedDecision[] | null }[];
}

const NONE = new Set<number>();

export function replayView(root: HTMLElement, matchId: string): void {
  const title = h('h1', null, 'Replay');
  const board = h('div', { class: 'board-wrap' });
  const caption = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const summary = h('p', { class: 'analysis-summary' });
  const judged = h('p', { class: 'analysis' });
  let decisions: AnalysedDecision[] = [];
  const step = h('input', { type: 'range', min: 1, max: 1, value: 1, 'aria-label': 'Event' });
  const button = (label: string, action: string, move: () => void) => h('button', { type: 'button', 'data-action': action, onclick: move }, label);
  let events: MatchEvent[] = [];
  let index = 0;
  const positions = new Map<number, Promise<ReplayedPosition>>();
  const positionAt = (seq: number) => {
    if (!positions.has(seq)) positions.set(seq, request<ReplayedPosition>('GET', `/matches/${matchId}/position?after=${seq}`));
    return positions.get(seq)!;
  };
  const goTo = async (next: number) => {
    index = Math.max(0, Math.min(events.length - 1, next));
    step.value = String(index + 1);
    const event = events[index];
    if (!event) return;
    const position = await positionAt(event.seq);
    if (events[index] !== event) return;
    show(board, drawBoard(pictureOf(position), { point: () => undefined, drag: () => undefined, targetsOf: () => [] }));
    show(caption, `Event ${index + 1} of ${events.length}: ${describe(event)} · game ${position.gameNumber} · score ${position.score.join('–')} · pips ${pipCount(position.boards[0])}–${pipCount(position.boards[1])} · ${position.positionId}`);
    show(judged, decisions.filter((decision) => decision.seq === event.seq).map(describeDecision).join(' · '));
  };
  step.addEventListener('input', () => void goTo(Number(step.value) - 1));
  const controls = h(
    'div',
    { class: 'actions', role: 'toolbar', 'aria-label': 'Replay controls' },
    button('⏮ First', 'first', () => void goTo(0)),
    button('◀ Back', 'back', () => void goTo(index - 1)),
    button('Next ▶', 'next', () => void goTo(index + 1)),
    button('Last ⏭', 'last', () => void goTo(events.length - 1)),
    step,
  );
  const section = h('section', { class: 'replay', tabindex: 0 }, title, summary, board, caption, judged, controls, h('p', null, h('a', { href: `/matches/${matchId}/mat`, download: `tavla-${matchId}.mat` }, 'Download .mat')));
  section.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight') void goTo(index + 1);
    if (event.key === 'ArrowLeft') void goTo(index - 1);
  });
  show(root, section);
  void request<StoredMatch & { events: MatchEvent[] }>('GET', `/matches/${matchId}`).then((match) => {
    events = match.events;
    step.max = String(events.length);
    show(title, `Replay: ${match.players.map((player) => player.name).join(' vs ')} (${match.matchLength} points)`);
    return goTo(0);
  });
  void request<MatchAnalysis>('GET', `/matches/${matchId}/analysis`).then((analysis) => {
    decisions = analysis.games.flatMap((game) => game.decisions ?? []);
    const rates = analysis.players.map((player) => `${player.name} ${player.errorRate === null ? '–' : `${player.errorRate.toFixed(1)} (${player.rating})`}`);
    show(summary, analysis.status === 'pending' ? 'Analysis: not finished yet.' : `Error rates: ${rates.join(' · ')}`);
    return goTo(index);
  });
}

/** What the analysis says of a decision made in the position shown. */
function describeDecision(decision: AnalysedDecision): string {
  const played = decision.kind === 'play' ? decision.played || 'no legal play' : decision.played;
  if (decision.equityLost === 0) return `seat ${decision.seat} ${played}: best`;
  const label = decision.skill ? ` (${decision.skill})` : '';
  return `seat ${decision.seat} ${played}: best ${decision.best}, lost ${decision.equityLost.toFixed(3)}${label}`;
}

function describe(event: MatchEvent): string {
  const who = event.seat === undefined ? '' : `seat ${event.seat} `;
  if (event.dice) return `${who}${event.type} ${event.dice.join('-')}`;
  if (event.from !== undefined) return `${who}moves ${event.from}/${event.to}`;
  return `${who}${event.type}`;
}

function pictureOf(position: ReplayedPosition) {
  const onRoll = position.turn;
  const dice = position.dice ?? [];
  return {
    mine: position.boards[0],
    theirs: position.boards[1],
    myColour: 'white' as const,
    myDice: onRoll === 0 ? dice : [],
    theirDice: onRoll === 1 ? dice : [],
    myDiceLeft: null,
    cubeValue: position.cube.value,
    cubeAt: position.cube.owner === null ? ('centre' as const) : position.cube.owner === 0 ? ('mine' as const) : ('theirs' as const),
    movable: NONE,
    selected: null,
    targets: NONE,
  };
}
