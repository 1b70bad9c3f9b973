import { Migration } from '@mikro-orm/migrations';

/**
 * The analyses of finished games: one row per game, queued with the game's row and claimed by
 * the server process that analyses it, with its judged decisions as JSONB; and each player's
 * figures in plain columns, which statistics add up by account. Games already played are queued.
 */
export class Migration0008GameAnalyses extends Migration {
  override name = '0008-game-analyses';

  override up(): void {
    this.addSql(`create table "game_analyses" ("match_id" uuid not null, "number" int not null, "status" varchar(255) not null, "queued_at" timestamptz not null,
      "claimed_by" uuid null, "claimed_at" timestamptz null, "attempts" int not null, "plies" int null, "analysed_at" timestamptz null, "failure" text null,
      "decisions" jsonb null, primary key ("match_id", "number"));`);
    this.addSql(`create index "game_analyses_status_queued_at_index" on "game_analyses" ("status", "queued_at");`);
    this.addSql(`create table "game_analysis_players" ("match_id" uuid not null, "number" int not null, "seat" smallint not null, "user_id" uuid null,
      "unforced_moves" int not null, "cube_decisions" int not null, "checker_equity_lost" double precision not null, "cube_equity_lost" double precision not null,
      "doubtful" int not null, "errors" int not null, "blunders" int not null, "luck" double precision not null, "rolls" int not null,
      primary key ("match_id", "number", "seat"));`);
    this.addSql(`create index "game_analysis_players_user_id_index" on "game_analysis_players" ("user_id");`);
    this.addSql(`insert into "game_analyses" ("match_id", "number", "status", "queued_at", "attempts") select "match_id", "number", 'pending', "ended_at", 0 from "games";`);
  }
}
