/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { ColyseusTestServer } from '@colyseus/testing';
import type { Browser, Page } from 'playwright-core';
import { bootServer, TEST_PORT } from '../support/match-clients.js';
import { requireService } from '../support/services.js';
import { buildWebClient, DESKTOP, launchChromium, newPage, PHONE } from './browser.js';

const baseUrl = `http://127.0.0.1:${TEST_PORT}`;

/** What a player's page offers now, read from the DOM in one go. */
interface Offer {
  version: string | null;
  phase: string | null;
  movable: string | null;
  confirm: boolean;
  roll: boolean;
}

function offerOf(page: Page): Promise<Offer> {
  return page.evaluate(() => {
    const game = document.querySelector('.game');
    return {
      version: game?.getAttribute('data-version') ?? null,
      phase: game?.getAttribute('data-phase') ?? null,
      movable: document.querySelector('.board .movable')?.getAttribute('data-point') ?? null,
      confirm: document.querySelector('[data-action="confirm"]') !== null,
      roll: document.querySelector('[data-action="roll"]') !== null,
    };
  });
}

function boardLabels(page: Page): Promise<string> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.board [aria-label]'), (element) => element.getAttribute('aria-label')).join('\n'));
}

/** Waits for the next patch of the match on this page. */
async function nextVersion(page: Page, version: string | null): Promise<void> {
  await page.waitForFunction((seen) => document.querySelector('.game')?.getAttribute('data-version') !== seen, version);
}

/** Clicks a checker the engine highlights as movable, then the first highlighted target. */
async function moveOneChecker(page: Page, offer: Offer): Promise<void> {
  await page.click(`.board [data-point="${offer.movable}"]`);
  await page.click('.board .target >> nth=0');
  await nextVersion(page, offer.version);
}

async function signInAndQueue(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Play as a guest' }).click();
  await page.selectOption('form.quick-match select[name="length"]', '1');
  await page.getByRole('button', { name: 'Find an opponent' }).click();
}

async function roomIdOf(page: Page): Promise<string> {
  await page.waitForURL(/#\/play\//);
  await page.waitForSelector('.game[data-version] .board');
  return new URL(page.url()).hash.replace('#/play/', '');
}

async function isOver(page: Page): Promise<boolean> {
  return (await page.locator('.result h2').count()) > 0;
}

describe('the web client in Chromium', function () {
  this.timeout(600_000);
  let server: ColyseusTestServer;
  let browser: Browser;

  before(async function () {
    await requireService(this, 'chromium');
    await buildWebClient();
    server = await bootServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.shutdown();
  });

  it('serves the client at / with revalidation, and its hashed assets for a year', async () => {
    const page = await fetch(`${baseUrl}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    assert.ok(script, 'index.html names its script');
    const asset = await fetch(`${baseUrl}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    assert.equal((await fetch(`${baseUrl}/health`)).status, 200, 'the API still answers');
  });

  it('lets two guests quick-match and play a 1-point match to the end by clicks, watched by a third, then replay it and check its dice', async () => {
    const alice = await newPage(browser, DESKTOP, baseUrl);
    const bob = await newPage(browser, PHONE, baseUrl);
    await Promise.all([signInAndQueue(alice), signInAndQueue(bob)]);
    const [roomId, bobsRoomId] = await Promise.all([roomIdOf(alice), roomIdOf(bob)]);
    assert.equal(bobsRoomId, roomId, 'both guests are in the same match');

    const carol = await newPage(browser, DESKTOP, baseUrl);
    await carol.goto(`/#/play/${roomId}?watch=1`);
    await carol.waitForSelector('.watching');
    await alice.waitForFunction(() => document.querySelector('.status')?.textContent?.includes('1 watching'));

    // A refused action shows the server's code and sentence.
    await alice.click('.chat-form button[type="submit"]');
    await alice.waitForFunction(() => /\(INVALID_MESSAGE\)/.test(document.querySelector('.game .feedback')?.textContent ?? ''));
    await carol.fill('.chat-form input', 'good luck both');
    await carol.click('.chat-form button[type="submit"]');
    await alice.waitForFunction(() => document.querySelector('.chat-log')?.textContent?.includes('good luck both'));

    const players = [alice, bob];
    let undoChecked = false;
    let reloaded = false;
    let actions = 0;
    while (!(await isOver(alice)) || !(await isOver(bob))) {
      let acted = false;
      for (const page of players) {
        const offer = await offerOf(page);
        if (offer.movable !== null && !undoChecked) {
          const before = await boardLabels(page);
          await moveOneChecker(page, offer);
          assert.notEqual(await boardLabels(page), before, 'the move shows on the board');
          const moved = await offerOf(page);
          await page.click('[data-action="undo"]');
          await nextVersion(page, moved.version);
          assert.equal(await boardLabels(page), before, 'undo puts the checker back');
          undoChecked = true;
        } else if (offer.movable !== null) await moveOneChecker(page, offer);
        else if (offer.confirm || offer.roll) {
          await page.click(offer.confirm ? '[data-action="confirm"]' : '[data-action="roll"]');
          await nextVersion(page, offer.version);
        } else continue;
        acted = true;
        actions += 1;
      }
      if (actions >= 12 && !reloaded) {
        reloaded = true;
        await bob.reload();
        await bob.waitForSelector('.game[data-version] .board');
        assert.match(bob.url(), new RegExp(`#/play/${roomId}$`));
        await bob.waitForSelector('.player .name:has-text("(you)")');
      }
      if (!acted) await alice.waitForTimeout(50);
    }
    assert.ok(undoChecked && reloaded, 'the match lasted long enough to undo and to reload');

    await carol.waitForFunction(() => document.querySelector('.game')?.getAttribute('data-phase') === 'over');
    for (const page of players) {
      await page.waitForFunction(() => !document.querySelector('.ratings')?.textContent?.includes('waiting'));
      assert.match((await page.textContent('.ratings')) ?? '', /not rated/, 'guests play unrated matches');
    }
    assert.ok(await bob.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing overflows a 360 px phone');

    await alice.click('[data-action="check-dice"]');
    await alice.waitForSelector('.dice-check[data-verdict]');
    assert.equal(await alice.getAttribute('.dice-check', 'data-verdict'), 'fair', (await alice.textContent('.dice-check')) ?? '');

    await alice.getByRole('link', { name: 'Replay this match' }).click();
    await alice.waitForFunction(() => document.querySelector('.replay .status')?.textContent?.startsWith('Event 1 of'));
    await alice.click('[data-action="next"]');
    await alice.waitForFunction(() => document.querySelector('.replay .status')?.textContent?.startsWith('Event 2 of'));
    await alice.click('[data-action="last"]');
    await alice.waitForFunction(() => /^Event (\d+) of \1:/.test(document.querySelector('.replay .status')?.textContent ?? ''));
    const trays = await alice.evaluate(() => Array.from(document.querySelectorAll('.board .tray'), (tray) => tray.getAttribute('aria-label')));
    assert.ok(trays.some((label) => label?.endsWith(': 15')), `the winner has borne off every checker: ${trays.join(', ')}`);
    assert.deepEqual([...alice.errors, ...bob.errors, ...carol.errors], []);
    await Promise.all([alice, bob, carol].map((page) => page.context().close()));
  });
});
