/** Every generated file of clients/, by its path in the repository, with what renders it. */
import { renderSchemaClasses } from './client-schema.js';
import { renderClientTypes } from './client-types.js';

export const CLIENT_CODE: Record<string, () => string> = {
  'clients/unity/Tavla.Schema.cs': () => renderSchemaClasses('csharp'),
  'clients/typescript/schema.ts': () => renderSchemaClasses('ts'),
  'clients/typescript/protocol.ts': renderClientTypes,
};
