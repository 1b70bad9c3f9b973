import { Migration } from '@mikro-orm/migrations';

/** A match knows whether it is private: private matches stay out of public listings. */
export class Migration0004PrivateMatches extends Migration {
  override name = '0004-private-matches';

  override up(): void {
    this.addSql(`alter table "matches" add column "private" boolean not null default false;`);
  }
}
