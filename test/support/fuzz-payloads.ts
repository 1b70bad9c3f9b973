/**
 * Building blocks for fuzzing a match room's message protocol: a catalogue of hostile values,
 * generators for malformed and oversized payloads, an independent statement of which payloads are
 * well formed (written from the protocol, not from the server's zod schemas), and an upper bound
 * for the size of the WebSocket frame the SDK sends.
 */

export type Random = () => number;

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A whole number from min to max, both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

/** Intents whose payload must be empty: nothing, null or {}. */
export const EMPTY_INTENTS = ['roll', 'undo', 'confirm', 'double', 'take', 'drop', 'beaver', 'accept', 'reject'] as const;
export const ACTION_TYPES = [...EMPTY_INTENTS, 'move', 'resign', 'rematch'] as const;
export const MESSAGE_TYPES = [...ACTION_TYPES, 'chat', 'sync'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const RESIGN_KINDS = ['single', 'gammon', 'backgammon'] as const;

export function isMessageType(type: unknown): type is MessageType {
  return typeof type === 'string' && (MESSAGE_TYPES as readonly string[]).includes(type);
}

/**
 * Message types the room does not know: near misses, names of server-to-client messages,
 * names that are special on plain objects, odd characters, and numeric types (the protocol allows them).
 */
export const UNKNOWN_TYPES: readonly (string | number)[] = [
  'teleport', 'Roll', 'ROLL', 'roll ', ' move', 'move\u0000', 'mo\u200bve', 'chat\n', 'resign!',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__',
  'error', 'seat', 'opening-roll', 'game-over', 'match-over', 'timeout', 'forfeit', 'opening-roll', 'state',
  '*', '_', '$', '💥', 'ролл', '\u202emove', 'x'.repeat(300), '%s%s%n', '../../etc/passwd', '{"type":"roll"}',
  0, 1, 7, 13, -1, 1.5, 255, 256, 65535, 2 ** 31, -(2 ** 31),
];

/** Values that are not a point (0..25): out of range, not whole, or not numbers at all. */
export const BAD_POINTS: readonly unknown[] = [
  -1, 26, 27, 100, 1e9, -1e9, 2.5, 0.5, 24.999, -0.5, 25.000001, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53),
  Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, Number.MIN_VALUE, NaN, Infinity, -Infinity,
  '1', '24', '0x10', 'bar', 'off', '', ' 3', null, true, false, [], [3], {}, { point: 3 }, undefined,
];

/** Any value at all, as a payload or a field: every JSON type and the edge numbers. */
export const ODD_VALUES: readonly unknown[] = [
  0, 1, -1, 2.5, -0, NaN, Infinity, -Infinity, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE,
  '', ' ', 'roll', 'null', 'undefined', 'NaN', '{}', '[]', '\u0000', '💥'.repeat(4), true, false, null,
  [], [null], [1, 2], [[[]]], ['roll'], [{ from: 24, to: 18 }], {}, { '': 0 }, { ' ': null }, { a: { b: { c: [1, { d: null }] } } },
  { from: 24 }, { to: 18 }, { kind: 'single' }, { text: 'hi' }, { version: 0 }, { type: 'roll' },
];

/** Objects whose keys are special on plain objects; msgpack keeps them as plain own keys. */
export function prototypeKeyPayloads(): unknown[] {
  return [
    JSON.parse('{"__proto__": {"from": 1, "to": 2}}'),
    JSON.parse('{"__proto__": null, "from": 24, "to": 18}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}, "kind": "single"}'),
    { toString: 'x', valueOf: 1, hasOwnProperty: null },
  ];
}

/** Values whose wire form is not plain JSON (msgpack extensions and binary). */
export function exoticValues(): unknown[] {
  return [new Date(0), new Date(8.64e15), new Uint8Array([1, 2, 3]), new Uint8Array(0), new Float64Array([NaN, 1])];
}

/** A malformed payload for a message of `type`; callers classify it with `wellFormed`. */
export function malformedPayload(random: Random, type: string): unknown {
  const anyValue = (): unknown => pick(random, ODD_VALUES);
  switch (type) {
    case 'move':
      return pick(random, [
        () => ({ from: pick(random, BAD_POINTS), to: between(random, 0, 25) }),
        () => ({ from: between(random, 0, 25), to: pick(random, BAD_POINTS) }),
        () => ({ from: pick(random, BAD_POINTS), to: pick(random, BAD_POINTS) }),
        () => ({ from: between(random, 0, 25) }),
        () => ({ to: between(random, 0, 25) }),
        () => ({ from: between(random, 0, 25), to: between(random, 0, 25), [pick(random, ['extra', 'seat', 'die', '__proto__x', ''])]: anyValue() }),
        () => ({ From: 24, To: 18 }),
        () => [between(random, 0, 25), between(random, 0, 25)],
        () => `${between(random, 1, 24)}/${between(random, 0, 24)}`,
        () => ({ from: { valueOf: 24 }, to: 18 }),
        () => ({ from: String(between(random, 0, 25)), to: String(between(random, 0, 25)) }),
        () => ({ from: null, to: null }),
        () => anyValue(),
        () => pick(random, prototypeKeyPayloads()),
      ])();
    case 'resign':
      return pick(random, [
        () => ({ kind: pick(random, ['SINGLE', 'Single', ' single', 'double', 'all', '', 'gammon ', 'beaver', 'null']) }),
        () => ({ kind: anyValue() }),
        () => ({ kind: pick(random, RESIGN_KINDS), extra: anyValue() }),
        () => ({ kinds: 'single' }),
        () => ({}),
        () => pick(random, RESIGN_KINDS),
        () => [pick(random, RESIGN_KINDS)],
        () => anyValue(),
      ])();
    case 'chat':
      return pick(random, [
        () => ({ text: pick(random, ['', '   ', '\n\t ', '\ufeff', 'x'.repeat(501), ` ${'y'.repeat(501)} `, '😀'.repeat(501), '😀'.repeat(251)]) }),
        () => ({ text: anyValue() }),
        () => ({ text: 'hello', seat: 0 }),
        () => ({ text: 'hello', name: 'admin', at: 0 }),
        () => ({ message: 'hello' }),
        () => 'hello',
        () => ['hello'],
        () => anyValue(),
      ])();
    case 'sync':
      return pick(random, [
        () => ({ version: pick(random, [-1, -0.5, 2.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, '3', null, true, [], {}]) }),
        () => ({ version: 0, extra: true }),
        () => ({ versions: 0 }),
        () => ({}),
        () => between(random, 0, 100),
        () => anyValue(),
      ])();
    default:
      // Empty intents and rematch: anything but nothing, null or {}.
      return pick(random, [
        () => anyValue(),
        () => ({ [pick(random, ['seat', 'force', 'dice', 'kind', 'from', 'x'])]: anyValue() }),
        () => ({ dice: [6, 6] }),
        () => ({ seat: 1 }),
        () => pick(random, prototypeKeyPayloads()),
      ])();
  }
}

/**
 * A large payload, most often near the 4 KiB frame limit (callers measure it with `frameBytes` and
 * draw again when it is over): long strings, long arrays, many keys, deep nesting, binary. Nearly
 * all are malformed for every message type; a chat of at most 500 four-byte characters is not.
 */
export function largePayload(random: Random): unknown {
  const variant = between(random, 0, 8);
  switch (variant) {
    case 0:
      return { text: 'x'.repeat(between(random, 2_000, 3_700)) };
    case 1:
      return { from: 24, to: 18, padding: 'p'.repeat(between(random, 2_000, 3_600)) };
    case 2:
      return Array.from({ length: between(random, 200, 390) }, () => pick(random, [1e308, -1e308, NaN, 0.1, 2 ** 40]));
    case 3:
      return Object.fromEntries(Array.from({ length: between(random, 100, 300) }, (_, index) => [`k${index}`, index]));
    case 4:
      return nested(between(random, 150, 550), (inner) => ({ a: inner, b: 'bbbb' }));
    case 5:
      return nested(between(random, 150, 390), (inner) => [inner, 1e308]);
    case 6:
      return { text: '𝄞'.repeat(between(random, 300, 880)) };
    case 7:
      return new Uint8Array(between(random, 1_000, 3_700)).fill(0xc1);
    default:
      return { version: 0, history: Array.from({ length: between(random, 100, 300) }, (_, index) => ({ v: index })) };
  }
}

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 0;
  for (let level = 0; level < depth; level++) value = wrap(value);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

/** Whether a value anywhere inside is not plain JSON-like data (its wire form is then hard to predict). */
function containsExotic(value: unknown, depth = 0): boolean {
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => containsExotic(item, depth + 1));
  if (!isPlainObject(value)) return true;
  return Object.values(value).some((item) => containsExotic(item, depth + 1));
}

function isPoint(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 25;
}

/**
 * Whether the room must accept the payload's shape, from the protocol: empty intents take nothing,
 * null or {}; move {from,to} with whole points 0..25; resign {kind} single|gammon|backgammon;
 * chat {text} of 1..500 characters (code points) once trimmed; sync {version} a whole number >= 0. No other keys.
 * 'unsure' for values whose shape after msgpack is not plain data (dates, binary).
 */
export function wellFormed(type: MessageType, payload: unknown): 'yes' | 'no' | 'unsure' {
  if (containsExotic(payload)) return 'unsure';
  const verdict = (ok: boolean) => (ok ? 'yes' : 'no');
  if (type === 'move') return verdict(isPlainObject(payload) && hasExactKeys(payload, ['from', 'to']) && isPoint(payload.from) && isPoint(payload.to));
  if (type === 'resign') {
    return verdict(isPlainObject(payload) && hasExactKeys(payload, ['kind']) && (RESIGN_KINDS as readonly unknown[]).includes(payload.kind));
  }
  if (type === 'chat') {
    if (!isPlainObject(payload) || !hasExactKeys(payload, ['text']) || typeof payload.text !== 'string') return 'no';
    // Characters are code points: an emoji counts once.
    const characters = [...payload.text.trim()].length;
    return verdict(characters >= 1 && characters <= 500);
  }
  if (type === 'sync') {
    return verdict(isPlainObject(payload) && hasExactKeys(payload, ['version']) && Number.isSafeInteger(payload.version) && (payload.version as number) >= 0);
  }
  return verdict(payload === undefined || payload === null || (isPlainObject(payload) && Object.keys(payload).length === 0));
}

/**
 * The bytes of the WebSocket message the SDK sends for `room.send(type, payload)`: a protocol byte,
 * the type (a msgpack string; numbers are counted at their largest, 9 bytes), then the payload as
 * `pack` encodes it. Pass a fresh instance of the SDK's msgpack encoder, which writes record
 * definitions inline in every message, so a fresh one encodes as the room's does.
 */
export function frameBytes(pack: (value: unknown) => Uint8Array, type: string | number, payload: unknown): number {
  return 1 + typeBytes(type) + (payload === undefined ? 0 : pack(payload).length);
}

function typeBytes(type: string | number): number {
  if (typeof type === 'number') return 9;
  const length = Buffer.byteLength(type);
  const header = length < 0x20 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
  return header + length;
}
