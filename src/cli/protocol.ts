/**
 * Renders docs/PROTOCOL.md: the hand-written template (protocol-template.md) with the parts
 * generated from the code that defines the protocol put in: the schema classes of the state
 * (fields from their metadata, descriptions from their comments), the zod definitions of the
 * messages each side sends, the match options, and the example programs verbatim.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { z } from 'zod';
import { MatchStateSchema } from '../schema/match-state.js';
import { WIRE_PHASES } from '../schema/write-match.js';
import { JoinOptions, MatchRoomOptions } from '../rooms/match-options.js';
import { MATCH_MESSAGES } from '../rooms/messages.js';
import { MATCH_ROOM_MESSAGES, QUICK_MATCH_MESSAGES } from '../rooms/server-messages.js';

export const sourceOf = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const PROTOCOL_DOC = sourceOf('../../docs/PROTOCOL.md');
/** The hand-written parts of the document, with a `{{…}}` line where each generated part goes. */
export const PROTOCOL_TEMPLATE = sourceOf('./protocol-template.md');

const GENERATED_PARTS: Record<string, () => string> = {
  'match-room': matchRoomSection,
  'quick-match': quickMatchSection,
};

export function renderProtocol(): string {
  return readFileSync(PROTOCOL_TEMPLATE, 'utf8').replace(/^\{\{(\S+)(?: (\S+))?\}\}$/gm, (line, name: string, argument?: string) => {
    if (name === 'example' && argument) return exampleBlock(argument);
    const part = GENERATED_PARTS[name];
    if (!part) throw new Error(`${PROTOCOL_TEMPLATE}: unknown part ${line}`);
    return part();
  });
}

/** A program of examples/, verbatim: the test suite runs it, so the document shows code that works. */
function exampleBlock(path: string): string {
  return ['```ts', `// ${path}`, readFileSync(sourceOf(`../../${path}`), 'utf8').trimEnd(), '```'].join('\n');
}

function matchRoomSection(): string {
  const stateComments = schemaComments(sourceOf('../schema/match-state.ts'));
  const optionComments = propertyComments(sourceOf('../rooms/match-options.ts'));
  return [
    '## The match room (`match`)',
    '',
    '### Options of `create("match", options)`',
    '',
    fieldTable(MatchRoomOptions, optionComments),
    '',
    '### Options of `join`, `joinById` (as the second seat, or to watch)',
    '',
    fieldTable(JoinOptions, optionComments),
    '',
    '### The state',
    '',
    'Colyseus synchronises it: `room.state` always holds the latest. Arrays of numbers are arrays of numbers in the SDK;',
    'schema types in the second column link to their own tables below.',
    '',
    ...schemaTables(MatchStateSchema, stateComments),
    '### Phases (`phase`)',
    '',
    '| phase | the match waits for |',
    '| --- | --- |',
    ...Object.entries(WIRE_PHASES).map(([phase, meaning]) => `| \`${phase}\` | ${meaning} |`),
    '',
    '### Messages a client sends',
    '',
    'Send them with `room.send(type, payload)`. A message that is malformed, out of turn or against the rules is answered',
    'with an `error` message and changes nothing.',
    '',
    ...messageSections(MATCH_MESSAGES, '####', propertyComments(sourceOf('../rooms/messages.ts'))),
    '### Messages the match room sends',
    '',
    'Receive them with `room.onMessage(type, handler)`.',
    '',
    ...messageSections(MATCH_ROOM_MESSAGES, '####', {}),
  ].join('\n');
}

function quickMatchSection(): string {
  return [
    '## The quick-match queue (`quickmatch`)',
    '',
    'Join with `joinOrCreate("quickmatch", { matchLength, diceSeed })`: `matchLength` 0..25 (default 5), and optionally your dice seed for the match (as `diceSeed` of `create("match")`). The queue has no state. It sends:',
    '',
    ...messageSections(QUICK_MATCH_MESSAGES, '###', {}),
    'A client sends it one message: `confirm` (no payload), once it has consumed the seat reservation; the queue then',
    'closes its connection.',
    '',
  ].join('\n');
}

export type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  required?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
};

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: markUndefined }) as JsonSchema;
}

/** `undefined` has no JSON Schema; it is marked so that types can say it (a payload of none). */
function markUndefined(context: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  if ((context.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'undefined') context.jsonSchema[UNDEFINED] = true;
}

export const UNDEFINED = 'x-undefined';

/** A section per message; descriptions from the definitions, else from the comments in their source. */
function messageSections(messages: Record<string, z.ZodType>, heading: string, comments: Record<string, string>): string[] {
  return Object.entries(messages).flatMap(([type, schema]) => {
    const json = jsonSchemaOf(schema);
    const description = json.description ?? comments[type];
    const about = description ? [description, ''] : [];
    const body = json.type === 'object' ? [fieldTable(schema, comments), ''] : [`Payload: ${payloadType(json)}.`, ''];
    return [`${heading} \`${type}\``, '', ...about, ...body];
  });
}

/** A payload that is not an object: nothing at all, or a plain value. */
function payloadType(json: JsonSchema): string {
  const options = json.anyOf ?? [json];
  if (options.some((option) => option.type === 'null')) return 'none (`undefined`, `null` or `{}`)';
  return typeName(json);
}

function fieldTable(schema: z.ZodType, comments: Record<string, string>): string {
  const rows = fieldRows(jsonSchemaOf(schema), '', comments);
  return ['| field | type | description |', '| --- | --- | --- |', ...rows].join('\n');
}

function fieldRows(json: JsonSchema, prefix: string, comments: Record<string, string>): string[] {
  return Object.entries(json.properties ?? {}).flatMap(([name, field]) => {
    const path = `${prefix}${name}`;
    const optional = !(json.required ?? []).includes(name) || field.default !== undefined;
    const notes = [field.description ?? comments[name] ?? '', field.default === undefined ? '' : `Default: \`${JSON.stringify(field.default)}\`.`];
    const row = `| \`${path}\`${optional ? ' (optional)' : ''} | ${typeName(field)} | ${cell(notes.filter(Boolean).join(' '))} |`;
    const object = objectOf(field);
    return object ? [row, ...fieldRows(object, `${path}.`, {})] : [row];
  });
}

function objectOf(json: JsonSchema): JsonSchema | null {
  if (json.type === 'object' && json.properties) return json;
  return json.anyOf?.map(objectOf).find((object) => object !== null) ?? null;
}

function typeName(json: JsonSchema): string {
  if (json.const !== undefined) return `\`${JSON.stringify(json.const)}\``;
  if (json.enum) return json.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  if (json.anyOf) return json.anyOf.map(typeName).join(' \\| ');
  if (json.prefixItems) return `[${json.prefixItems.map(typeName).join(', ')}]`;
  if (json.type === 'array') return `${json.items ? typeName(json.items) : 'any'}[]`;
  if (json.type === 'integer') return rangeName('integer', json);
  if (json.type === 'number') return rangeName('number', json);
  if (json.type === 'object') return json.properties ? 'object' : 'object (any fields)';
  return json.type ?? 'any';
}

function rangeName(name: string, json: JsonSchema): string {
  const maximum = json.maximum !== undefined && json.maximum < Number.MAX_SAFE_INTEGER ? json.maximum : undefined;
  if (json.minimum !== undefined && maximum !== undefined) return `${name} ${json.minimum}..${maximum}`;
  if (json.minimum !== undefined) return `${name} ≥ ${json.minimum}`;
  return name;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

// The schema classes: fields and types from their metadata, descriptions from their comments.

interface FieldMetadata {
  readonly name: string;
  readonly type: string | { readonly array?: unknown; readonly map?: unknown } | SchemaClass;
}

interface SchemaClass {
  readonly name: string;
}

function metadataOf(klass: SchemaClass): FieldMetadata[] {
  const metadata = (klass as unknown as Record<symbol, Record<string, FieldMetadata>>)[Symbol.metadata]!;
  return Object.keys(metadata)
    .filter((key) => /^\d+$/.test(key))
    .map((key) => metadata[key]!);
}

/** The tables of a schema class and of every schema class it contains, each once. */
function schemaTables(root: SchemaClass, comments: Record<string, Record<string, string>>): string[] {
  const seen = new Set<SchemaClass>();
  const queue = [root];
  const lines: string[] = [];
  while (queue.length > 0) {
    const klass = queue.shift()!;
    if (seen.has(klass)) continue;
    seen.add(klass);
    const own = comments[klass.name] ?? {};
    lines.push(`#### ${klass.name}`, '', '| field | type | description |', '| --- | --- | --- |');
    for (const field of metadataOf(klass)) {
      const description = own[field.name];
      if (!description) throw new Error(`${klass.name}.${field.name} has no comment in src/schema/match-state.ts: describe it there`);
      lines.push(`| \`${field.name}\` | ${schemaTypeName(field.type, queue)} | ${cell(description)} |`);
    }
    lines.push('');
  }
  return lines;
}

function schemaTypeName(type: FieldMetadata['type'], queue: SchemaClass[]): string {
  if (typeof type === 'string') return type;
  if (typeof type === 'function') {
    queue.push(type);
    return `[${type.name}](#${type.name.toLowerCase()})`;
  }
  if ('array' in type) return `${schemaTypeName(type.array as FieldMetadata['type'], queue)}[]`;
  if ('map' in type) return `map of ${schemaTypeName(type.map as FieldMetadata['type'], queue)}`;
  return 'unknown';
}

// Comments read from the source with the TypeScript compiler.

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function commentOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .trim();
}

/** The comment of every property of each `schema({...}, 'Name')` call, by schema name and field. */
function schemaComments(file: string): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText() === 'schema') {
      const [fields, name] = node.arguments;
      if (fields && name && ts.isObjectLiteralExpression(fields) && ts.isStringLiteral(name)) {
        result[name.text] = Object.fromEntries(fields.properties.map((property) => [property.name?.getText() ?? '', commentOf(property)]));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return result;
}

/** The comment of every commented property in a file, by property name (the first one wins). */
export function propertyComments(file: string): Record<string, string> {
  const result: Record<string, string> = {};
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node)) {
      const comment = commentOf(node);
      const name = node.name.getText();
      if (comment && !(name in result)) result[name] = comment;
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return result;
}
