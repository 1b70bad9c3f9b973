import { Migration } from '@mikro-orm/migrations';

/** Accounts may be administrators: they open the monitor and the metrics. */
export class Migration0006AdminAccounts extends Migration {
  override name = '0006-admin-accounts';

  override up(): void {
    this.addSql(`alter table "users" add column "admin" boolean not null default false;`);
  }
}
