import { Migration } from '@mikro-orm/migrations';

export class Migration0001Initial extends Migration {

  override name = "0001-initial";

  override up(): void | Promise<void> {
    this.addSql(`create table "games" ("match_id" uuid not null, "number" int not null, "score_before" jsonb not null, "crawford" boolean not null, "winner" smallint not null, "points" int not null, "kind" varchar(255) not null, "ended_by" varchar(255) not null, "cube" int not null, "final_position_id" varchar(255) not null, "moves" int not null, "started_at" timestamptz not null, "ended_at" timestamptz not null, "duration_ms" int not null, primary key ("match_id", "number"));`);

    this.addSql(`create table "matches" ("id" uuid not null, "room_id" varchar(255) not null, "status" varchar(255) not null, "match_length" int not null, "rated" boolean not null, "settings" jsonb not null, "player0_id" uuid null, "player1_id" uuid null, "player0_name" varchar(255) not null, "player1_name" varchar(255) not null, "score0" int not null, "score1" int not null, "winner" smallint null, "forfeited_by" smallint null, "dice_commitment" varchar(255) not null, "dice_server_seed" varchar(255) null, "dice_client_seeds" jsonb not null, "started_at" timestamptz not null, "ended_at" timestamptz null, "rating0_before" double precision null, "rating0_after" double precision null, "rating1_before" double precision null, "rating1_after" double precision null, primary key ("id"));`);
    this.addSql(`create index "matches_player0_id_index" on "matches" ("player0_id");`);
    this.addSql(`create index "matches_player1_id_index" on "matches" ("player1_id");`);
    this.addSql(`create index "matches_status_started_at_index" on "matches" ("status", "started_at");`);
    this.addSql(`create index "matches_ended_at_index" on "matches" ("ended_at");`);

    this.addSql(`create table "match_events" ("match_id" uuid not null, "seq" int not null, "type" varchar(255) not null, "data" jsonb not null, "at" timestamptz not null, primary key ("match_id", "seq"));`);

    this.addSql(`create table "rating_changes" ("id" uuid not null, "user_id" uuid not null, "match_id" uuid not null, "before" double precision not null, "after" double precision not null, "experience_before" int not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "rating_changes_user_id_at_index" on "rating_changes" ("user_id", "at");`);
    this.addSql(`alter table "rating_changes" add constraint "rating_changes_user_id_match_id_unique" unique ("user_id", "match_id");`);

    this.addSql(`create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "family" uuid not null, "token_hash" varchar(255) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(`create index "refresh_tokens_family_index" on "refresh_tokens" ("family");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(255) null, "password_hash" varchar(255) null, "name" varchar(255) not null, "name_key" varchar(255) not null, "guest" boolean not null, "rating" double precision not null, "experience" int not null, "created_at" timestamptz not null, "last_login_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "users" add constraint "users_name_key_unique" unique ("name_key");`);
    this.addSql(`create index "users_rating_index" on "users" ("rating");`);
    this.addSql(`create index "users_last_login_at_index" on "users" ("last_login_at");`);
  }

}
