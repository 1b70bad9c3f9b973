/** Why the engine refused an input. Stable strings: clients and tests match on them. */
export type EngineErrorCode =
  | 'INVALID_POSITION'
  | 'INVALID_DICE'
  | 'INVALID_POSITION_ID'
  | 'INVALID_MATCH_ID'
  | 'ILLEGAL_MOVE'
  | 'NOTHING_TO_UNDO'
  | 'PLAY_INCOMPLETE'
  | 'INVALID_NOTATION'
  | 'ILLEGAL_PLAY'
  | 'INVALID_ACTION'
  | 'INVALID_SETTINGS'
  | 'INVALID_MAT'
  | 'INVALID_SEED'
  | 'INVALID_LOG';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function fail(code: EngineErrorCode, message: string): never {
  throw new EngineError(code, message);
}
