import { Migration } from '@mikro-orm/migrations';

/**
 * Server processes say they are alive, and each match remembers the process that plays it: when
 * a process is gone, the matches it left playing are marked interrupted, while other processes
 * sharing the database keep theirs.
 */
export class Migration0003LiveServers extends Migration {
  override name = '0003-live-servers';

  override up(): void {
    this.addSql(`create table "servers" ("id" uuid not null, "started_at" timestamptz not null, "seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "matches" add column "server_id" uuid null;`);
    this.addSql(`create index "matches_server_id_index" on "matches" ("server_id");`);
  }
}
