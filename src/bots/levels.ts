/**
 * How a bot plays. `pubeval` is Tesauro's benchmark; `net` levels look `plies` moves ahead
 * with the neural evaluator (0: judge the position after the play; 1: also average over the
 * opponent's 21 rolls; 2: one roll deeper still) and add Gaussian noise with standard
 * deviation `noise` (in equity) to every candidate's equity, which makes weaker levels err
 * the way people do: more often where plays are close. The same noise blurs their cube and
 * resignation judgement.
 */
export type SearchDepth = 0 | 1 | 2;

export type BotLevel =
  | { readonly name: string; readonly evaluator: 'pubeval'; readonly rating?: number }
  | { readonly name: string; readonly evaluator: 'net'; readonly plies: SearchDepth; readonly noise: number; readonly rating?: number };

/** The levels users pick, by key; `name` is what they see, `rating` a guess on the server's scale. */
export const LEVELS = {
  pubeval: { name: 'Pubeval', evaluator: 'pubeval', rating: 1400 },
  beginner: { name: 'Beginner', evaluator: 'net', plies: 0, noise: 0.16, rating: 1250 },
  intermediate: { name: 'Intermediate', evaluator: 'net', plies: 0, noise: 0.08, rating: 1550 },
  advanced: { name: 'Advanced', evaluator: 'net', plies: 1, noise: 0, rating: 1800 },
  expert: { name: 'Expert', evaluator: 'net', plies: 2, noise: 0, rating: 1900 },
  net0: { name: 'Neural net, 0-ply', evaluator: 'net', plies: 0, noise: 0, rating: 1750 },
} as const satisfies Record<string, BotLevel>;

export type LevelName = keyof typeof LEVELS;

export const LEVEL_NAMES = Object.keys(LEVELS) as LevelName[];

export function levelOf(level: BotLevel | LevelName): BotLevel {
  const chosen: BotLevel | undefined = typeof level === 'string' ? LEVELS[level] : level;
  if (!chosen) throw new Error(`unknown bot level ${String(level)}: one of ${LEVEL_NAMES.join(', ')}`);
  return chosen;
}

/** A standard normal sample (Box-Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
