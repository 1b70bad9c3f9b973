import type { FairDice } from '../engine/index.js';
import type { Database } from '../db/orm.js';
import { log } from '../log.js';
import { sealServerSeed, unsealServerSeed } from './sealed-seed.js';

/** What a match needs to be resumed besides its log, as kept when its dice were committed to. */
export interface KeptDice {
  readonly serverSeed: string;
  /** The room's options as it was created (see rooms/match-options.ts). */
  readonly roomOptions: unknown;
  readonly inviteCode: string | null;
}

interface SealedRow {
  sealed_seed: string;
  room_options: unknown;
  invite_code: string | null;
}

/** Rows of seeds older than this whose match is not in play are deleted: they are revealed, or never used. */
const FORGET_AFTER_SECONDS = 24 * 60 * 60;

/**
 * Keeps every fair-dice server seed, sealed under the deployment's dice key, from the moment its
 * commitment is published, so that a match can be resumed after its process is gone; the seed
 * itself is still revealed only in the match's end event.
 */
export class SeedVault {
  constructor(
    private readonly database: Database,
    private readonly diceKey: Buffer,
  ) {}

  async keep(dice: FairDice, roomOptions: unknown, inviteCode: string | null): Promise<void> {
    const sealed = sealServerSeed(this.diceKey, dice.saveState().serverSeed, dice.commitment);
    await this.database
      .em()
      .execute('insert into sealed_dice_seeds (commitment, sealed_seed, room_options, invite_code) values (?, ?, ?, ?) on conflict (commitment) do nothing', [
        dice.commitment,
        sealed,
        JSON.stringify(roomOptions),
        inviteCode,
      ]);
  }

  /**
   * As `keep`, but it never fails its caller and waits at most `limitMs`: a seed not kept only
   * means that its match cannot be resumed should its process die. Says whether it was kept.
   */
  async tryKeep(dice: FairDice, roomOptions: unknown, inviteCode: string | null, limitMs = 2_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), limitMs)));
    try {
      return await Promise.race([this.keep(dice, roomOptions, inviteCode).then(() => true, () => false), timeUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The seed committed to `commitment`, or null when none was kept; throws a SealedSeedError under another key. */
  async open(commitment: string): Promise<KeptDice | null> {
    const [row] = await this.database.em().execute<SealedRow[]>('select sealed_seed, room_options, invite_code from sealed_dice_seeds where commitment = ?', [commitment]);
    if (!row) return null;
    const roomOptions = typeof row.room_options === 'string' ? (JSON.parse(row.room_options) as unknown) : row.room_options;
    return { serverSeed: unsealServerSeed(this.diceKey, row.sealed_seed, commitment), roomOptions, inviteCode: row.invite_code };
  }

  /** Deletes the seeds no match in play needs any more; returns how many. */
  async forgetUnneeded(): Promise<number> {
    const rows = await this.database.em().execute<{ commitment: string }[]>(
      `delete from sealed_dice_seeds s where s.created_at < now() - interval '1 second' * ?
         and not exists (select 1 from matches m where m.dice_commitment = s.commitment and m.status = 'playing')
       returning commitment`,
      [FORGET_AFTER_SECONDS],
    );
    return rows.length;
  }
}

const HOUR_MS = 60 * 60 * 1000;

/** Deletes the seeds no match needs any more every hour; returns a stop function. */
export function scheduleSeedCleanup(vault: SeedVault): () => void {
  const timer = setInterval(() => {
    vault.forgetUnneeded().then(
      (deleted) => deleted > 0 && log.info({ deleted }, `deleted ${deleted} sealed dice seed(s) no match in play needs`),
      (error: unknown) => log.error({ err: error }, `sealed dice seed cleanup failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }, HOUR_MS).unref();
  return () => clearInterval(timer);
}
