/// <reference lib="dom" />
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { boardLabels, clickAction, moveOneChecker, offerOf, playToTheEnd, roomIdOf } from './pages.js';
import { browserSuite, PHONE } from './browser.js';

async function signInAndQueue(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Play as a guest' }).click();
  await page.selectOption('form.quick-match select[name="length"]', '1');
  await page.getByRole('button', { name: 'Find an opponent' }).click();
}

describe('the web client in Chromium', function () {
  this.timeout(600_000);
  const suite = browserSuite();

  it('serves the client at / with revalidation, and its hashed assets for a year', async () => {
    const page = await fetch(`${suite.baseUrl}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    assert.ok(script, 'index.html names its script');
    const asset = await fetch(`${suite.baseUrl}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    assert.equal((await fetch(`${suite.baseUrl}/health`)).status, 200, 'the API still answers');
  });

  it('lets two guests quick-match and play a 1-point match to the end by clicks, watched by a third, then replay it and check its dice', async () => {
    const alice = await suite.page();
    const bob = await suite.page(PHONE);
    await Promise.all([signInAndQueue(alice), signInAndQueue(bob)]);
    const [roomId, bobsRoomId] = await Promise.all([roomIdOf(alice), roomIdOf(bob)]);
    assert.equal(bobsRoomId, roomId, 'both guests are in the same match');

    const carol = await suite.page();
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
    await playToTheEnd(players, {
      async instead(page, offer) {
        if (offer.movable === null || undoChecked) return false;
        undoChecked = true;
        const before = await boardLabels(page);
        await moveOneChecker(page, offer);
        assert.notEqual(await boardLabels(page), before, 'the move shows on the board');
        await clickAction(page, 'undo', (await offerOf(page)).version);
        assert.equal(await boardLabels(page), before, 'undo puts the checker back');
        return true;
      },
      async after(actions) {
        if (actions < 12 || reloaded) return;
        reloaded = true;
        await bob.reload();
        await bob.waitForSelector('.game[data-version] .board');
        assert.match(bob.url(), new RegExp(`#/play/${roomId}$`));
        await bob.waitForSelector('.player .name:has-text("(you)")');
      },
    });
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
    assert.match((await alice.textContent('.dice-check')) ?? '', /your seed was mixed into every roll/);
    const mat = await fetch(`${suite.baseUrl}${await alice.getAttribute('a[download]', 'href')}`);
    assert.equal(mat.status, 200);
    assert.match(mat.headers.get('content-disposition') ?? '', /attachment; filename="tavla-.*\.mat"/);
    assert.match(await mat.text(), /1 point match/);

    await alice.getByRole('link', { name: 'Replay this match' }).click();
    await alice.waitForFunction(() => document.querySelector('.replay .status')?.textContent?.startsWith('Event 1 of'));
    // This test server analyses no games in the background.
    await alice.waitForFunction(() => document.querySelector('.replay .analysis-summary')?.textContent === 'Analysis: not finished yet.');
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
