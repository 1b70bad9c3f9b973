/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { browserSuite } from './browser.js';
import { TEST_PORT } from '../support/match-clients.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { clickAction, moveOneChecker, nextVersion, offerOf, playToTheEnd, roomIdOf } from './pages.js';

interface StoredSession {
  token: string;
  refreshToken: string;
  expiresAt: number;
}

function storedSession(page: Page): Promise<StoredSession | null> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('tavla.session') ?? 'null') as StoredSession | null);
}

function credentials() {
  const tag = randomBytes(4).toString('hex');
  return { email: `web-${tag}@example.com`, name: `Web ${tag}`, password: `secret-${tag}` };
}

async function fillAndSubmit(page: Page, form: string, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await page.fill(`form.${form} input[name="${name}"]`, value);
  await page.click(`form.${form} button[type="submit"]`);
}

async function playAsGuest(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Play as a guest' }).click();
  await page.waitForSelector('form.new-match');
}

async function createMatch(page: Page, options: { length: string; opponent: string; private?: boolean }): Promise<string> {
  await page.selectOption('form.new-match select[name="length"]', options.length);
  await page.selectOption('form.new-match select[name="opponent"]', options.opponent);
  if (options.private) await page.check('form.new-match input[name="private"]');
  await page.click('form.new-match button[type="submit"]');
  return roomIdOf(page);
}

async function seatedAgainst(page: Page, opponentName: string): Promise<void> {
  await page.waitForFunction(() => document.querySelector('.game')?.getAttribute('data-phase') !== 'waiting');
  await page.waitForSelector('.player .name:has-text("(you)")');
  await page.waitForSelector(`.player .name:has-text("${opponentName}")`);
}

const nameOf = async (page: Page) => (await page.textContent('#account a'))!.trim();

describe('the web client in Chromium: accounts, invitations, the lobby, bots, profiles', function () {
  this.timeout(300_000);
  const suite = browserSuite();

  it('signs up, refreshes its token by itself, logs out (ending the session) and logs in again', async () => {
    const page = await suite.page();
    const account = credentials();
    await page.goto('/');
    await fillAndSubmit(page, 'sign-up', account);
    await page.waitForSelector(`.account:has-text("${account.name}")`);
    assert.match((await page.textContent('.account')) ?? '', /rating 1500/);

    const first = (await storedSession(page))!;
    await page.evaluate(() => {
      const stored = JSON.parse(localStorage.getItem('tavla.session')!) as StoredSession;
      localStorage.setItem('tavla.session', JSON.stringify({ ...stored, expiresAt: Date.now() + 1000 }));
    });
    await page.reload();
    // The refresh token, not the access token: two access tokens signed in the same second are the same string.
    await page.waitForFunction((old) => (JSON.parse(localStorage.getItem('tavla.session') ?? '{}') as StoredSession).refreshToken !== old, first.refreshToken);
    const refreshed = (await storedSession(page))!;
    assert.ok(refreshed, 'the session is still there after the refresh');
    assert.ok(refreshed.expiresAt > Date.now() + 60_000, 'the new access token runs for longer than the refresh margin');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('button[data-action="guest"]');
    assert.equal(await storedSession(page), null);
    const reuse = await fetch(`${suite.baseUrl}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: refreshed.refreshToken }) });
    assert.equal(reuse.status, 401, 'logging out ended the session on the server');

    await fillAndSubmit(page, 'log-in', { email: account.email, password: 'wrong password' });
    await page.waitForSelector('.feedback:has-text("INVALID_CREDENTIALS")');
    await fillAndSubmit(page, 'log-in', { email: account.email, password: account.password });
    await page.waitForSelector(`.account:has-text("${account.name}")`);
  });

  it("keeps a guest's account under an email and a name", async () => {
    const page = await suite.page();
    await playAsGuest(page);
    assert.match((await page.textContent('.account')) ?? '', /\(guest\)/);
    const account = credentials();
    await fillAndSubmit(page, 'keep-this-account', account);
    await page.waitForSelector(`.account:has-text("${account.name}")`);
    assert.doesNotMatch((await page.textContent('.account')) ?? '', /\(guest\)/);
  });

  it('creates a private match whose invite link seats a visitor with no account', async () => {
    const host = await suite.page();
    await playAsGuest(host);
    await createMatch(host, { length: '3', opponent: 'person', private: true });
    const link = (await host.getAttribute('.invite-link', 'href'))!;
    assert.match(link, /\/match\/[\w-]+\?invite=[\w-]+$/);

    const friend = await suite.page();
    await friend.goto(link);
    await roomIdOf(friend);
    await seatedAgainst(friend, await nameOf(host));
    await seatedAgainst(host, await nameOf(friend));
    assert.equal(await host.locator('.invite-link').count(), 0, 'the link goes once the seat is taken');
  });

  it('drags a checker, doubles and takes, resigns and accepts, through the buttons', async () => {
    const host = await suite.page();
    await playAsGuest(host);
    await createMatch(host, { length: '3', opponent: 'person', private: true });
    const friend = await suite.page();
    await friend.goto((await host.getAttribute('.invite-link', 'href'))!);
    await seatedAgainst(friend, await nameOf(host));
    const players = [host, friend];

    // The opening roll is played at once; the player on roll after it may double.
    let dragged = false;
    const doubler = await new Promise<Page>((resolve, reject) => {
      playToTheEnd(players, {
        async instead(page, offer) {
          if (await page.locator('[data-action="double"]').count()) {
            resolve(page);
            throw new Error('stop playing');
          }
          if (offer.movable === null || dragged) return false;
          dragged = true;
          await page.hover(`.board [data-point="${offer.movable}"]`);
          await page.mouse.down();
          const target = await page.getAttribute('.board .target', 'data-point');
          await page.hover(`.board [data-point="${target}"]`);
          await page.mouse.up();
          await nextVersion(page, offer.version);
          return true;
        },
      }).catch((error: Error) => error.message !== 'stop playing' && reject(error));
    });
    assert.ok(dragged, 'a checker was dragged');
    const taker = doubler === host ? friend : host;
    await clickAction(doubler, 'double', await doubler.getAttribute('.game', 'data-version'));
    await taker.waitForSelector('[data-action="take"]');
    await clickAction(taker, 'take', await taker.getAttribute('.game', 'data-version'));
    await taker.waitForSelector('.cube[aria-label="Doubling cube: 2, yours"]');
    await doubler.waitForSelector('.cube[aria-label="Doubling cube: 2, theirs"]');

    await doubler.waitForSelector('[data-action="resign"]');
    await doubler.selectOption('.resign select', 'single');
    await clickAction(doubler, 'resign', await doubler.getAttribute('.game', 'data-version'));
    await taker.waitForSelector('[data-action="accept"]');
    await clickAction(taker, 'accept', await taker.getAttribute('.game', 'data-version'));
    await doubler.waitForFunction(() => /wins by resignation: 2 points/.test(document.querySelector('.status')?.textContent ?? ''));
    await taker.waitForFunction(() => document.querySelector('.game')?.getAttribute('data-phase') !== 'resigning');
  });

  it('lists a public match in the lobby, where another player joins it', async () => {
    const host = await suite.page();
    await playAsGuest(host);
    const roomId = await createMatch(host, { length: '5', opponent: 'person' });
    const guest = await suite.page();
    await playAsGuest(guest);
    await guest.click(`.lobby a[href="#/play/${roomId}"]`);
    await roomIdOf(guest);
    await seatedAgainst(guest, await nameOf(host));
  });

  it('gets back into its match by itself when the connection drops, saying so meanwhile', async () => {
    const proxy = await TcpProxy.start(TEST_PORT);
    try {
      const page = await suite.page();
      await page.goto(`http://127.0.0.1:${proxy.port}/`);
      await page.getByRole('button', { name: 'Play as a guest' }).click();
      await createMatch(page, { length: '3', opponent: 'random' });
      await page.waitForSelector('.player .name:has-text("(you)")');

      proxy.cut();
      await page.waitForSelector('.game.reconnecting');
      assert.match((await page.textContent('.status')) ?? '', /reconnecting/);
      proxy.restore();
      await page.waitForSelector('.game:not(.reconnecting)');
      assert.match((await page.textContent('.status')) ?? '', /Reconnected/);
      await page.waitForSelector('.player .name:has-text("(you)")');
      const version = Number(await page.getAttribute('.game', 'data-version'));
      // The match goes on: the player (or the bot) acts, and the page hears of it.
      const offer = await offerOf(page);
      if (offer.movable !== null) await moveOneChecker(page, offer);
      else if (offer.roll) await clickAction(page, 'roll', offer.version);
      await page.waitForFunction((seen) => Number(document.querySelector('.game')?.getAttribute('data-version')) > seen, version);
    } finally {
      await proxy.close();
    }
  });

  it('plays a bot to the end, the first move by keyboard, then shows the profile and the leaderboard', async () => {
    const page = await suite.page();
    await playAsGuest(page);
    await createMatch(page, { length: '1', opponent: 'random' });
    await page.waitForSelector('.player .name:has-text("(bot)")');

    // In a 1-point match the cube is still offered, so the player may have to roll first.
    while ((await page.waitForSelector('.board .movable, [data-action="roll"]')) && (await page.locator('.board .movable').count()) === 0) {
      await clickAction(page, 'roll', await page.getAttribute('.game', 'data-version'));
    }
    const version = await page.getAttribute('.game', 'data-version');
    await page.focus('.board .movable');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.board .target:focus');
    await page.keyboard.press('Enter');
    await page.waitForFunction((seen) => document.querySelector('.game')?.getAttribute('data-version') !== seen, version);
    await playToTheEnd([page]);

    await page.click('#account a');
    await page.waitForSelector('.profile table.stats');
    await page.waitForFunction(() => document.querySelector('.profile table.stats tbody tr td')?.textContent === '1');
    assert.equal(await page.locator('.match-list a:has-text("Replay")').count(), 1);
    assert.match((await page.textContent('.profile')) ?? '', /No rated matches yet/);
    // This test server analyses no games in the background: the profile says so.
    assert.equal(await page.textContent('.profile .error-rate'), 'No analysed games yet.');
    await page.click('nav a[href="#/leaderboard"]');
    await page.waitForSelector('.leaderboard h1');
  });
});
