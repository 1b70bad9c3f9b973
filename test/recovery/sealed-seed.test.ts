import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDeploymentSecrets, SECRET_FILES } from '../../src/auth/deployment-secrets.js';
import { createFairDice } from '../../src/engine/index.js';
import { IN_MEMORY, openDatabase, type Database } from '../../src/db/orm.js';
import { SealedSeedError, sealServerSeed, unsealServerSeed } from '../../src/recovery/sealed-seed.js';
import { SeedVault } from '../../src/recovery/seed-vault.js';

describe('sealed dice seeds', () => {
  const key = randomBytes(32);
  const dice = createFairDice();
  const { serverSeed } = dice.saveState();

  it('cannot be read without the key: the sealed text holds neither the seed nor anything that depends only on it', () => {
    const sealed = sealServerSeed(key, serverSeed, dice.commitment);
    const again = sealServerSeed(key, serverSeed, dice.commitment);
    assert.notEqual(sealed, again, 'each sealing uses a fresh IV');
    for (const text of [sealed, Buffer.from(sealed.split('.')[2]!, 'base64url').toString('hex')]) {
      assert.ok(!text.includes(serverSeed), 'the seed must not appear in the sealed text');
    }
    assert.equal(unsealServerSeed(key, sealed, dice.commitment), serverSeed);
  });

  it('refuses, with a clear error, to open under another key instead of giving other dice', () => {
    const sealed = sealServerSeed(key, serverSeed, dice.commitment);
    assert.throws(() => unsealServerSeed(randomBytes(32), sealed, dice.commitment), (error: unknown) => {
      assert.ok(error instanceof SealedSeedError);
      assert.match(error.message, /DICE_KEY is not the key this match's dice seed was sealed with/);
      return true;
    });
  });

  it('does not open for another match, nor once altered', () => {
    const sealed = sealServerSeed(key, serverSeed, dice.commitment);
    assert.throws(() => unsealServerSeed(key, sealed, createFairDice().commitment), SealedSeedError);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[2]!, 'base64url');
    flipped[0]! ^= 1;
    parts[2] = flipped.toString('base64url');
    assert.throws(() => unsealServerSeed(key, parts.join('.'), dice.commitment), SealedSeedError);
  });

  describe('kept in the database', function () {
    // Opening PGlite takes seconds on a busy machine.
    this.timeout(60_000);
    let database: Database;
    before(async () => {
      database = await openDatabase({ kind: 'pglite', dataDir: IN_MEMORY });
    });
    after(async () => database?.close());

    it('are stored sealed, opened with the same key, and refused under another one', async () => {
      const vault = new SeedVault(database, key);
      const options = { matchLength: 3, clock: false };
      await vault.keep(dice, options, 'invite-code');
      const [row] = await database.em().execute<{ sealed_seed: string }[]>('select sealed_seed from sealed_dice_seeds where commitment = ?', [dice.commitment]);
      assert.ok(row && !row.sealed_seed.includes(serverSeed));
      assert.deepEqual(await vault.open(dice.commitment), { serverSeed, roomOptions: options, inviteCode: 'invite-code' });
      await assert.rejects(new SeedVault(database, randomBytes(32)).open(dice.commitment), SealedSeedError);
      assert.equal(await vault.open(createFairDice().commitment), null);
    });

    it('are forgotten a day after they were kept when no match in play needs them', async () => {
      const vault = new SeedVault(database, key);
      const [old, fresh] = [createFairDice(), createFairDice()];
      await vault.keep(old, {}, null);
      await vault.keep(fresh, {}, null);
      await database.em().execute(`update sealed_dice_seeds set created_at = now() - interval '25 hours' where commitment = ?`, [old.commitment]);
      assert.equal(await vault.forgetUnneeded(), 1);
      assert.equal(await vault.open(old.commitment), null);
      assert.notEqual(await vault.open(fresh.commitment), null);
    });
  });
});

describe('deployment secrets', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'tavla-secrets-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('are generated once in the embedded database\'s data folder, readable by its owner only, and the same at the next start', () => {
    const database = { kind: 'pglite', dataDir: join(folder, 'data') } as const;
    const first = loadDeploymentSecrets({ jwtSecret: null, diceKey: null, database });
    const second = loadDeploymentSecrets({ jwtSecret: null, diceKey: null, database });
    assert.equal(first.kept, 'data folder');
    assert.equal(second.jwtSecret, first.jwtSecret);
    assert.ok(second.diceKey.equals(first.diceKey));
    assert.equal(first.diceKey.length, 32);
    assert.notEqual(first.jwtSecret, first.diceKey.toString('hex'));
    const keyFile = join(database.dataDir, SECRET_FILES.diceKey);
    assert.equal(readFileSync(keyFile, 'utf8').trim(), first.diceKey.toString('hex'));
    assert.equal(statSync(keyFile).mode & 0o077, 0);
  });

  it('come from the environment when it gives them, and last only this process without a data folder', () => {
    const diceKey = 'ab'.repeat(32);
    const configured = loadDeploymentSecrets({ jwtSecret: 'j'.repeat(40), diceKey, database: { kind: 'pglite', dataDir: join(folder, 'data') } });
    assert.deepEqual([configured.jwtSecret, configured.diceKey.toString('hex'), configured.kept], ['j'.repeat(40), diceKey, 'environment']);
    const inMemory = { jwtSecret: null, diceKey: null, database: { kind: 'pglite', dataDir: IN_MEMORY } } as const;
    assert.equal(loadDeploymentSecrets(inMemory).kept, 'this process');
    assert.notEqual(loadDeploymentSecrets(inMemory).jwtSecret, loadDeploymentSecrets(inMemory).jwtSecret);
  });
});
