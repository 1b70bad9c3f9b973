import { Migration } from '@mikro-orm/migrations';

/**
 * `matches.rated` says whether a match moves (or moved) ratings, no longer whether its creator
 * asked for it: money play, matches without two distinct accounts and finished matches that
 * changed no rating are unrated, and so are matches still in play with a guest in them.
 */
export class Migration0005TruthfulRatedFlag extends Migration {
  override name = '0005-truthful-rated-flag';

  override up(): void {
    this.addSql(`update "matches" m set "rated" = false
      where m."rated" and (
        m."match_length" = 0 or m."player0_id" is null or m."player1_id" is null or m."player0_id" = m."player1_id"
        or (m."status" = 'finished' and m."rating0_after" is null)
        or (m."status" <> 'finished' and exists (select 1 from "users" u where u."guest" and u."id" in (m."player0_id", m."player1_id")))
      );`);
  }
}
