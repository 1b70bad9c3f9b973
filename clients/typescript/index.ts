// The entry of the Tavla client types: the state's schema classes and the protocol's types.
export * from './schema.js';
export type * from './protocol.js';
