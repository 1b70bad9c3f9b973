/**
 * The board in SVG, seen from one seat: its home board bottom right, its bar at the bottom of the
 * bar, its borne-off checkers in the lower tray. Points are numbered from the viewer's side.
 */
import { s } from './dom.js';

export interface BoardPicture {
  /** The viewer's checkers per point, seen from the viewer: 0 off, 1..24, 25 bar. */
  readonly mine: readonly number[];
  /** The opponent's checkers, seen from the opponent. */
  readonly theirs: readonly number[];
  readonly myColour: 'white' | 'black';
  readonly myDice: readonly number[];
  readonly theirDice: readonly number[];
  /** Dice of the viewer's roll still to play (the rest are drawn dimmed). */
  readonly myDiceLeft: readonly number[] | null;
  readonly cubeValue: number;
  /** 'centre', 'mine' or 'theirs'. */
  readonly cubeAt: 'centre' | 'mine' | 'theirs';
  readonly movable: ReadonlySet<number>;
  readonly selected: number | null;
  readonly targets: ReadonlySet<number>;
}

export interface BoardInput {
  /** A click (or Enter) on a point, the bar (25) or the tray (0). */
  point(point: number): void;
  /** A checker dragged from one point and dropped on another. */
  drag(from: number, to: number): void;
  /** Where the checker on a point may go, highlighted while it is dragged. */
  targetsOf(from: number): readonly number[];
}

const POINT_WIDTH = 38;
const LEFT = 20;
const BAR_LEFT = LEFT + 6 * POINT_WIDTH;
const BAR_WIDTH = 36;
const RIGHT = BAR_LEFT + BAR_WIDTH;
const TRAY_LEFT = RIGHT + 6 * POINT_WIDTH + 10;
const TRAY_WIDTH = 58;
const TOP = 20;
const BOTTOM = 400;
const POINT_HEIGHT = 160;
const RADIUS = 17;
const SHOWN_PER_POINT = 5;

function pointCentre(point: number): { x: number; top: boolean } {
  const top = point >= 13;
  const column = top ? (point - 13) % 6 : (12 - point) % 6;
  const rightHalf = point <= 6 || point >= 19;
  return { x: (rightHalf ? RIGHT : LEFT) + column * POINT_WIDTH + POINT_WIDTH / 2, top };
}

function other(colour: 'white' | 'black'): 'white' | 'black' {
  return colour === 'white' ? 'black' : 'white';
}

export function drawBoard(picture: BoardPicture, input: BoardInput): SVGSVGElement {
  const theirColour = other(picture.myColour);
  const points = [];
  for (let point = 1; point <= 24; point++) {
    const mine = picture.mine[point] ?? 0;
    const theirs = picture.theirs[25 - point] ?? 0;
    points.push(drawPoint(picture, point, mine > 0 ? mine : theirs, mine > 0 ? picture.myColour : theirColour));
  }
  const svg = s(
    'svg',
    { viewBox: `0 0 ${TRAY_LEFT + TRAY_WIDTH + 10} ${BOTTOM + 20}`, class: 'board', role: 'group', 'aria-label': 'Backgammon board' },
    s('rect', { x: 0, y: 0, width: TRAY_LEFT + TRAY_WIDTH + 10, height: BOTTOM + 20, class: 'frame' }),
    s('rect', { x: LEFT, y: TOP, width: RIGHT + 6 * POINT_WIDTH - LEFT, height: BOTTOM - TOP, class: 'felt' }),
    points,
    drawBar(picture, theirColour),
    drawTray(picture, 0, picture.mine[0] ?? 0, picture.myColour, false),
    drawTray(picture, -1, picture.theirs[0] ?? 0, theirColour, true),
    drawDice(picture.theirDice, null, LEFT + 3 * POINT_WIDTH, 'Their dice', theirColour),
    drawDice(picture.myDice, picture.myDiceLeft, RIGHT + 3 * POINT_WIDTH, 'Your dice', picture.myColour),
    drawCube(picture),
  );
  listen(svg, input);
  return svg;
}

function pointClasses(picture: BoardPicture, point: number, base: string): string {
  return [base, picture.movable.has(point) && 'movable', picture.targets.has(point) && 'target', picture.selected === point && 'selected'].filter(Boolean).join(' ');
}

function interactive(picture: BoardPicture, point: number): boolean {
  return picture.movable.has(point) || picture.targets.has(point);
}

function drawPoint(picture: BoardPicture, point: number, count: number, colour: string) {
  const { x, top } = pointCentre(point);
  const half = POINT_WIDTH / 2;
  const baseY = top ? TOP : BOTTOM;
  const tipY = top ? TOP + POINT_HEIGHT : BOTTOM - POINT_HEIGHT;
  const label = `Point ${point}: ${count === 0 ? 'empty' : `${count} ${colour}`}`;
  return s(
    'g',
    { class: pointClasses(picture, point, 'point'), 'data-point': point, role: 'button', 'aria-label': label, tabindex: interactive(picture, point) ? 0 : -1 },
    s('rect', { x: x - half, y: top ? TOP : BOTTOM - POINT_HEIGHT - 20, width: POINT_WIDTH, height: POINT_HEIGHT + 20, class: 'hit' }),
    s('polygon', { points: `${x - half},${baseY} ${x + half},${baseY} ${x},${tipY}`, class: point % 2 ? 'triangle odd' : 'triangle even' }),
    stack(x, top ? TOP + RADIUS : BOTTOM - RADIUS, top ? 1 : -1, count, colour),
    s('text', { x, y: top ? TOP - 6 : BOTTOM + 15, class: 'point-number' }, point),
  );
}

function stack(x: number, firstY: number, direction: 1 | -1, count: number, colour: string, spacing = 2 * RADIUS) {
  const shown = Math.min(count, SHOWN_PER_POINT);
  const checkers = [];
  for (let index = 0; index < shown; index++) {
    checkers.push(s('circle', { cx: x, cy: firstY + direction * index * spacing, r: RADIUS - 1, class: `checker ${colour}` }));
  }
  if (count > SHOWN_PER_POINT) {
    const y = firstY + direction * (shown - 1) * spacing;
    checkers.push(s('text', { x, y: y + 5, class: `count ${colour}` }, count));
  }
  return checkers;
}

function drawBar(picture: BoardPicture, theirColour: string) {
  const x = BAR_LEFT + BAR_WIDTH / 2;
  const mine = picture.mine[25] ?? 0;
  const theirs = picture.theirs[25] ?? 0;
  return [
    s('rect', { x: BAR_LEFT, y: TOP, width: BAR_WIDTH, height: BOTTOM - TOP, class: 'bar' }),
    s(
      'g',
      { class: pointClasses(picture, 25, 'bar-slot'), 'data-point': 25, role: 'button', 'aria-label': `Your bar: ${mine} checkers`, tabindex: interactive(picture, 25) ? 0 : -1 },
      s('rect', { x: BAR_LEFT, y: (TOP + BOTTOM) / 2 + 20, width: BAR_WIDTH, height: (BOTTOM - TOP) / 2 - 20, class: 'hit' }),
      stack(x, (TOP + BOTTOM) / 2 + 20 + RADIUS, 1, mine, picture.myColour),
    ),
    s('g', { 'aria-label': `Their bar: ${theirs} checkers`, role: 'img' }, stack(x, (TOP + BOTTOM) / 2 - 20 - RADIUS, -1, theirs, theirColour)),
  ];
}

function drawTray(picture: BoardPicture, point: 0 | -1, count: number, colour: string, top: boolean) {
  const y = top ? TOP : (TOP + BOTTOM) / 2 + 10;
  const height = (BOTTOM - TOP) / 2 - 10;
  const label = `${top ? 'Their' : 'Your'} borne-off checkers: ${count}`;
  const slices = [];
  for (let index = 0; index < count; index++) {
    const sliceY = top ? y + 4 + index * 11 : y + height - 14 - index * 11;
    slices.push(s('rect', { x: TRAY_LEFT + 6, y: sliceY, width: TRAY_WIDTH - 12, height: 9, rx: 2, class: `checker ${colour}` }));
  }
  const attributes = point === 0 ? { class: pointClasses(picture, 0, 'tray'), 'data-point': 0, role: 'button', tabindex: interactive(picture, 0) ? 0 : -1 } : { class: 'tray', role: 'img' };
  return s('g', { ...attributes, 'aria-label': label }, s('rect', { x: TRAY_LEFT, y, width: TRAY_WIDTH, height, class: 'hit tray-box' }), slices);
}

function drawDice(dice: readonly number[], left: readonly number[] | null, centreX: number, label: string, colour: string) {
  if (dice.length === 0) return null;
  const remaining = left ? [...left] : null;
  const faces = (dice.length === 2 && dice[0] === dice[1] && left && left.length > 2 ? [...dice, ...dice] : dice).map((value, index, all) => {
    const unused = remaining === null || remaining.includes(value);
    if (remaining && unused) remaining.splice(remaining.indexOf(value), 1);
    const x = centreX - (all.length * 40) / 2 + index * 40 + 3;
    return s('g', { class: `die ${colour}${unused ? '' : ' used'}` }, s('rect', { x, y: (TOP + BOTTOM) / 2 - 17, width: 34, height: 34, rx: 6 }), pips(value, x, (TOP + BOTTOM) / 2 - 17));
  });
  return s('g', { role: 'img', 'aria-label': `${label}: ${dice.join(' and ')}`, class: 'dice' }, faces);
}

const PIP_SPOTS: Record<number, [number, number][]> = {
  1: [[1, 1]],
  2: [[0, 0], [2, 2]],
  3: [[0, 0], [1, 1], [2, 2]],
  4: [[0, 0], [2, 0], [0, 2], [2, 2]],
  5: [[0, 0], [2, 0], [1, 1], [0, 2], [2, 2]],
  6: [[0, 0], [2, 0], [0, 1], [2, 1], [0, 2], [2, 2]],
};

function pips(value: number, x: number, y: number) {
  return (PIP_SPOTS[value] ?? []).map(([column, row]) => s('circle', { cx: x + 8 + column * 9, cy: y + 8 + row * 9, r: 3, class: 'pip' }));
}

function drawCube(picture: BoardPicture) {
  const y = picture.cubeAt === 'centre' ? (TOP + BOTTOM) / 2 - 16 : picture.cubeAt === 'mine' ? BOTTOM - 40 : TOP + 8;
  const x = picture.cubeAt === 'centre' ? BAR_LEFT + 2 : TRAY_LEFT + 13;
  const value = picture.cubeAt === 'centre' && picture.cubeValue === 1 ? 64 : picture.cubeValue;
  return s(
    'g',
    { class: 'cube', role: 'img', 'aria-label': `Doubling cube: ${picture.cubeValue}, ${picture.cubeAt === 'centre' ? 'centred' : picture.cubeAt === 'mine' ? 'yours' : 'theirs'}` },
    s('rect', { x, y, width: 32, height: 32, rx: 4 }),
    s('text', { x: x + 16, y: y + 21 }, value),
  );
}

function pointOf(target: EventTarget | null): number | null {
  const element = target instanceof Element ? target.closest('[data-point]') : null;
  return element ? Number(element.getAttribute('data-point')) : null;
}

function listen(svg: SVGSVGElement, input: BoardInput): void {
  let dragFrom: number | null = null;
  let dragged = false;
  svg.addEventListener('pointerdown', (event) => {
    dragFrom = pointOf(event.target);
    dragged = false;
    // Marked in place: drawing the board anew under the pointer would lose the click.
    if (dragFrom === null) return;
    const targets = new Set(input.targetsOf(dragFrom));
    for (const slot of svg.querySelectorAll('[data-point]')) slot.classList.toggle('target', targets.has(Number(slot.getAttribute('data-point'))));
  });
  svg.addEventListener('pointerup', (event) => {
    const dropOn = pointOf(document.elementFromPoint(event.clientX, event.clientY));
    if (dragFrom !== null && dropOn !== null && dropOn !== dragFrom) {
      dragged = true;
      input.drag(dragFrom, dropOn);
    }
    dragFrom = null;
  });
  svg.addEventListener('click', (event) => {
    if (dragged) return void (dragged = false);
    const point = pointOf(event.target);
    if (point !== null) input.point(point);
  });
  svg.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const point = pointOf(event.target);
    if (point === null) return;
    event.preventDefault();
    input.point(point);
  });
}
