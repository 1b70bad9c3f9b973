import assert from 'node:assert/strict';
import net from 'node:net';
import {
  acceptsTcpConnection,
  checkService,
  isExecutable,
  requireService,
  type Service,
  type SkippableContext,
} from './services.js';

const missingService: Service = {
  absence: 'Example is not answering at 127.0.0.1:1',
  howToStart: 'example-server --start',
  isAvailable: async () => false,
};

const presentService: Service = { ...missingService, isAvailable: async () => true };

class SkipCalled extends Error {}

function recordingContext(): SkippableContext & { skipped: boolean } {
  return {
    skipped: false,
    skip(): never {
      this.skipped = true;
      throw new SkipCalled();
    },
  };
}

describe('test services helper', () => {
  describe('checkService', () => {
    it('finds an answering service available, whatever TAVLA_REQUIRE_SERVICES says', async () => {
      assert.deepEqual(await checkService(presentService, {}), { verdict: 'available' });
      assert.deepEqual(await checkService(presentService, { TAVLA_REQUIRE_SERVICES: '1' }), { verdict: 'available' });
    });

    it('skips a missing service, saying what is missing, how to start it and how to make it a failure', async () => {
      const check = await checkService(missingService, {});
      assert.equal(check.verdict, 'skip');
      assert.match(check.message, /^Example is not answering at 127\.0\.0\.1:1: skipping/);
      assert.match(check.message, /Start it with: example-server --start/);
      assert.match(check.message, /TAVLA_REQUIRE_SERVICES=1/);
    });

    it('fails on a missing service when TAVLA_REQUIRE_SERVICES=1', async () => {
      const check = await checkService(missingService, { TAVLA_REQUIRE_SERVICES: '1' });
      assert.equal(check.verdict, 'fail');
      assert.match(check.message, /^Example is not answering at 127\.0\.0\.1:1, and TAVLA_REQUIRE_SERVICES=1 requires it/);
      assert.match(check.message, /Start it with: example-server --start/);
    });

    it('only treats the value 1 as requiring services', async () => {
      for (const value of ['0', '', 'yes']) {
        const check = await checkService(missingService, { TAVLA_REQUIRE_SERVICES: value });
        assert.equal(check.verdict, 'skip', `TAVLA_REQUIRE_SERVICES=${JSON.stringify(value)}`);
      }
    });
  });

  describe('requireService', () => {
    let originalWarn: typeof console.warn;
    let warnings: string[];

    beforeEach(() => {
      originalWarn = console.warn;
      warnings = [];
      console.warn = (message: string) => warnings.push(message);
    });

    afterEach(() => {
      console.warn = originalWarn;
    });

    it('lets the tests run when the service answers', async () => {
      const context = recordingContext();
      await requireService(context, presentService, {});
      assert.equal(context.skipped, false);
      assert.deepEqual(warnings, []);
    });

    it('prints why and skips when the service is missing', async () => {
      const context = recordingContext();
      await assert.rejects(requireService(context, missingService, {}), SkipCalled);
      assert.equal(context.skipped, true);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /Example is not answering at 127\.0\.0\.1:1: skipping/);
    });

    it('fails without skipping when the service is missing and required', async () => {
      const context = recordingContext();
      await assert.rejects(
        requireService(context, missingService, { TAVLA_REQUIRE_SERVICES: '1' }),
        /Example is not answering at 127\.0\.0\.1:1, and TAVLA_REQUIRE_SERVICES=1 requires it/,
      );
      assert.equal(context.skipped, false);
    });
  });

  describe('availability probes', () => {
    it('sees a listening TCP port as answering and a closed one as not', async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as net.AddressInfo;
      assert.equal(await acceptsTcpConnection('127.0.0.1', port), true);

      await new Promise((resolve) => server.close(resolve));
      assert.equal(await acceptsTcpConnection('127.0.0.1', port), false);
    });

    it('tells an executable file from a missing one', async () => {
      assert.equal(await isExecutable(process.execPath), true);
      assert.equal(await isExecutable('/nonexistent/chromium'), false);
    });
  });
});

describe('services on this machine', () => {
  it('PostgreSQL answers at 127.0.0.1:5432', async function () {
    await requireService(this, 'postgres');
    // SSLRequest: any PostgreSQL server answers it with a single byte, S or N.
    const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    const reply = await firstReply('127.0.0.1', 5432, sslRequest);
    assert.match(reply.toString('latin1'), /^[SN]$/);
  });

  it('Redis answers at 127.0.0.1:6379', async function () {
    await requireService(this, 'redis');
    const reply = await firstReply('127.0.0.1', 6379, Buffer.from('PING\r\n'));
    assert.equal(reply.toString(), '+PONG\r\n');
  });
});

function firstReply(host: string, port: number, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => socket.write(request));
    socket.setTimeout(2000, () => socket.destroy(new Error(`no reply from ${host}:${port}`)));
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply);
    });
    socket.once('error', reject);
  });
}
