import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_MATCH_LENGTH } from '../engine/index.js';

/**
 * The match equity table: a player's chance of winning the match from a score, before a game
 * starts. Data: the Kazaross XG2 table as GNU Backgammon ships it (source and notice in the
 * JSON file).
 */
const probability = z.number().min(0).max(1);
const tableSchema = z.object({
  name: z.string(),
  source: z.string(),
  preCrawford: z.array(z.array(probability).length(MAX_MATCH_LENGTH)).length(MAX_MATCH_LENGTH),
  postCrawford: z.array(probability).length(MAX_MATCH_LENGTH),
});

const table = tableSchema.parse(JSON.parse(readFileSync(new URL('./met/kazaross-xg2.json', import.meta.url), 'utf8')));

export const MET_NAME = table.name;

/**
 * The chance that the player who needs `away` points wins a match against one who needs
 * `opponentAway`, before the next game. `postCrawford`: the Crawford game has been played (or
 * is being played), so a 1-away score is post-Crawford rather than the Crawford game.
 */
export function matchEquity(away: number, opponentAway: number, postCrawford: boolean): number {
  if (away <= 0) return 1;
  if (opponentAway <= 0) return 0;
  if (postCrawford && away === 1 && opponentAway > 1) return 1 - table.postCrawford[opponentAway - 1]!;
  if (postCrawford && opponentAway === 1 && away > 1) return table.postCrawford[away - 1]!;
  return table.preCrawford[away - 1]![opponentAway - 1]!;
}
