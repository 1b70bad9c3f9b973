import { Migration } from '@mikro-orm/migrations';

/**
 * What a match in progress needs to be resumed besides its event log, kept from the moment its
 * dice are committed to: the server seed, sealed under the deployment's dice key, the room's
 * options and its invite code. Keyed by the dice commitment, which the match row also carries.
 */
export class Migration0007SealedDiceSeeds extends Migration {
  override name = '0007-sealed-dice-seeds';

  override up(): void {
    this.addSql(`create table "sealed_dice_seeds" (
      "commitment" varchar(255) not null,
      "sealed_seed" varchar(255) not null,
      "room_options" jsonb not null,
      "invite_code" varchar(255) null,
      "created_at" timestamptz not null default now(),
      primary key ("commitment"));`);
  }
}
