import { Migration } from '@mikro-orm/migrations';

/**
 * Match events move from one row each to runs of consecutive events per row, kept as `json`
 * text. Where the server has lz4 (PostgreSQL 14+ built with it; not PGlite) the runs are
 * compressed with it: as small as the default compression at a fraction of its CPU.
 */
export class Migration0002EventRuns extends Migration {
  override name = '0002-event-runs';

  override up(): void {
    this.addSql(
      `create table "match_event_runs" ("match_id" uuid not null, "first_seq" int not null, "last_seq" int not null, "events" json not null, primary key ("match_id", "first_seq"));`,
    );
    this.addSql(
      `do $$ begin
         alter table "match_event_runs" alter column "events" set compression lz4;
       exception when feature_not_supported then null;
       end $$;`,
    );
    this.addSql(
      `insert into "match_event_runs" ("match_id", "first_seq", "last_seq", "events")
       select "match_id", "seq", "seq", json_build_array(json_build_object('seq', "seq", 'type', "type", 'data', "data", 'at', "at")) from "match_events";`,
    );
    this.addSql(`drop table "match_events";`);
  }
}
