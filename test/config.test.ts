import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from '../src/config.js';

const DICE_KEY = 'd'.repeat(64);

describe('configuration', () => {
  it('defaults to port 2567 on all interfaces in development', () => {
    assert.deepEqual(parseConfig({}), {
      port: 2567,
      host: undefined,
      nodeEnv: 'development',
      database: { kind: 'pglite', dataDir: './data' },
      jwtSecret: null,
      diceKey: null,
      accountsPerAddressPerHour: 1_000,
      trustedProxies: [],
      maxSpectatorsPerMatch: 500,
      quickMatchBotAfterMs: 30_000,
      analysis: { threads: 1, plies: 1 },
      redisUrl: null,
      publicAddress: 'localhost:2567',
      adminPassword: null,
      logLevel: 'info',
      logFormat: 'pretty',
    });
  });

  it('needs JWT_SECRET in production, of at least 32 characters', () => {
    assert.throws(() => parseConfig({ NODE_ENV: 'production', DICE_KEY }), /JWT_SECRET: required in production/);
    assert.throws(() => parseConfig({ JWT_SECRET: 'short' }), /JWT_SECRET: must be at least 32 characters/);
    const secret = 'x'.repeat(32);
    assert.equal(parseConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DICE_KEY }).jwtSecret, secret);
  });

  it('needs DICE_KEY in production, as 64 hexadecimal digits', () => {
    assert.throws(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }), /DICE_KEY: required in production/);
    assert.throws(() => parseConfig({ DICE_KEY: 'abc' }), /DICE_KEY: must be 64 hexadecimal digits/);
    assert.equal(parseConfig({ DICE_KEY: 'AB'.repeat(32) }).diceKey, 'ab'.repeat(32));
  });

  it('keeps the embedded database in DATA_DIR, or uses PostgreSQL at DATABASE_URL', () => {
    assert.deepEqual(parseConfig({ DATA_DIR: '/var/lib/tavla' }).database, { kind: 'pglite', dataDir: '/var/lib/tavla' });
    const url = 'postgresql://tavla:secret@db.example:5432/tavla';
    assert.deepEqual(parseConfig({ DATABASE_URL: url, DATA_DIR: '/ignored' }).database, { kind: 'postgresql', url });
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL', () => {
    assert.throws(() => parseConfig({ DATABASE_URL: 'mysql://localhost/db' }), /DATABASE_URL: must be a PostgreSQL URL/);
  });

  it('reads PORT, HOST and NODE_ENV', () => {
    const secret = 's'.repeat(40);
    assert.deepEqual(parseConfig({ PORT: '8080', HOST: '127.0.0.1', NODE_ENV: 'production', JWT_SECRET: secret, DICE_KEY }), {
      port: 8080,
      host: '127.0.0.1',
      nodeEnv: 'production',
      database: { kind: 'pglite', dataDir: './data' },
      jwtSecret: secret,
      diceKey: DICE_KEY,
      accountsPerAddressPerHour: 30,
      trustedProxies: [],
      maxSpectatorsPerMatch: 500,
      quickMatchBotAfterMs: 30_000,
      analysis: { threads: 1, plies: 1 },
      redisUrl: null,
      publicAddress: '127.0.0.1:8080',
      adminPassword: null,
      logLevel: 'info',
      logFormat: 'json',
    });
  });

  it('reads TRUSTED_PROXIES as IP addresses separated by commas', () => {
    assert.deepEqual(parseConfig({ TRUSTED_PROXIES: '10.0.0.2, ::1' }).trustedProxies, ['10.0.0.2', '::1']);
    assert.throws(() => parseConfig({ TRUSTED_PROXIES: '10.0.0.2, proxy.local' }), /TRUSTED_PROXIES: must be IP addresses separated by commas/);
  });

  it('limits new accounts per address to 30 an hour in production, 1,000 in development and test', () => {
    const secret = 'x'.repeat(32);
    assert.equal(parseConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DICE_KEY }).accountsPerAddressPerHour, 30);
    assert.equal(parseConfig({ NODE_ENV: 'development' }).accountsPerAddressPerHour, 1_000);
    assert.equal(parseConfig({ NODE_ENV: 'test' }).accountsPerAddressPerHour, 1_000);
    assert.equal(parseConfig({}).accountsPerAddressPerHour, 1_000);
  });

  it('takes ACCOUNTS_PER_ADDRESS_PER_HOUR over the default in every environment (0: no limit)', () => {
    assert.equal(parseConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DICE_KEY, ACCOUNTS_PER_ADDRESS_PER_HOUR: '5' }).accountsPerAddressPerHour, 5);
    assert.equal(parseConfig({ ACCOUNTS_PER_ADDRESS_PER_HOUR: '0' }).accountsPerAddressPerHour, 0);
    assert.equal(parseConfig({ ACCOUNTS_PER_ADDRESS_PER_HOUR: '500' }).accountsPerAddressPerHour, 500);
    assert.throws(() => parseConfig({ ACCOUNTS_PER_ADDRESS_PER_HOUR: 'lots' }), /ACCOUNTS_PER_ADDRESS_PER_HOUR: must be a whole number \(0: no limit\)/);
  });

  it('reads MAX_SPECTATORS_PER_MATCH, 500 by default', () => {
    assert.equal(parseConfig({ MAX_SPECTATORS_PER_MATCH: '2000' }).maxSpectatorsPerMatch, 2000);
    assert.throws(() => parseConfig({ MAX_SPECTATORS_PER_MATCH: 'many' }), /MAX_SPECTATORS_PER_MATCH: must be a whole number/);
  });

  it('reads ANALYSIS_THREADS and ANALYSIS_PLIES: one thread at 1-ply by default', () => {
    assert.deepEqual(parseConfig({ ANALYSIS_THREADS: '0', ANALYSIS_PLIES: '2' }).analysis, { threads: 0, plies: 2 });
    assert.throws(() => parseConfig({ ANALYSIS_PLIES: '3' }), /ANALYSIS_PLIES: must be 0, 1 or 2/);
    assert.throws(() => parseConfig({ ANALYSIS_THREADS: 'two' }), /ANALYSIS_THREADS: must be a whole number/);
    assert.throws(() => parseConfig({ ANALYSIS_THREADS: '64' }), /ANALYSIS_THREADS: must be at most 16/);
  });

  it('reads QUICK_MATCH_BOT_AFTER_MS, 30 seconds by default, 0 for never', () => {
    assert.equal(parseConfig({}).quickMatchBotAfterMs, 30_000);
    assert.equal(parseConfig({ QUICK_MATCH_BOT_AFTER_MS: '0' }).quickMatchBotAfterMs, 0);
    assert.throws(() => parseConfig({ QUICK_MATCH_BOT_AFTER_MS: 'soon' }), /QUICK_MATCH_BOT_AFTER_MS: must be a whole number of milliseconds \(0: never\)/);
  });

  it('joins other processes through REDIS_URL, announcing PUBLIC_ADDRESS with its own port', () => {
    assert.equal(parseConfig({}).redisUrl, null);
    const cluster = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/tavla' };
    assert.equal(parseConfig({ ...cluster, HOST: '10.0.0.5' }).publicAddress, '10.0.0.5:2567');
    const third = parseConfig({ ...cluster, PORT: '3000', NODE_APP_INSTANCE: '2', PUBLIC_ADDRESS: 'games.example.com/{port}' });
    assert.equal(third.publicAddress, 'games.example.com/3002');
    assert.throws(() => parseConfig({ REDIS_URL: 'http://127.0.0.1' }), /REDIS_URL: must be a Redis URL/);
  });

  it('refuses a second process without REDIS_URL and DATABASE_URL', () => {
    assert.throws(() => parseConfig({ NODE_APP_INSTANCE: '1' }), /REDIS_URL: required when several processes run[\s\S]*DATABASE_URL: required/);
    assert.doesNotThrow(() => parseConfig({ NODE_APP_INSTANCE: '0' }));
  });

  it('treats an empty variable as unset', () => {
    assert.deepEqual(parseConfig({ PORT: '', HOST: '', NODE_ENV: '' }), parseConfig({}));
  });

  for (const badPort of ['abc', '0', '65536', '80.5', '-1', ' 80', '1e3']) {
    it(`rejects PORT=${JSON.stringify(badPort)}, naming the variable and the rule`, () => {
      assert.throws(
        () => parseConfig({ PORT: badPort }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.problems.length === 1 &&
          error.message === 'Invalid configuration:\n  PORT: must be a whole number from 1 to 65535',
      );
    });
  }

  it('rejects an unknown NODE_ENV, listing the accepted values', () => {
    assert.throws(() => parseConfig({ NODE_ENV: 'prod' }), /NODE_ENV: must be one of: development, production, test/);
  });

  it('reports every bad variable at once', () => {
    assert.throws(
      () => parseConfig({ PORT: 'abc', NODE_ENV: 'prod' }),
      (error: unknown) => error instanceof ConfigError && error.problems.length === 2,
    );
  });

  it('does not echo the values it rejects', () => {
    assert.throws(
      () => parseConfig({ PORT: 'secret-looking-value' }),
      (error: unknown) => error instanceof Error && !error.message.includes('secret-looking-value'),
    );
  });
});
