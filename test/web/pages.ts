/// <reference lib="dom" />
/** Playing through the web client's UI: what a page offers, and clicks on the board and buttons. */
import type { Page } from 'playwright-core';

/** What a player's page offers now, read from the DOM in one go. */
export interface Offer {
  version: string | null;
  movable: string | null;
  confirm: boolean;
  roll: boolean;
}

export function offerOf(page: Page): Promise<Offer> {
  return page.evaluate(() => ({
    version: document.querySelector('.game')?.getAttribute('data-version') ?? null,
    movable: document.querySelector('.board .movable')?.getAttribute('data-point') ?? null,
    confirm: document.querySelector('[data-action="confirm"]') !== null,
    roll: document.querySelector('[data-action="roll"]') !== null,
  }));
}

/** Every label on the board: what stands on each point, the bar, the trays, the dice. */
export function boardLabels(page: Page): Promise<string> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.board [aria-label]'), (element) => element.getAttribute('aria-label')).join('\n'));
}

/** Waits for the next patch of the match on this page. */
export async function nextVersion(page: Page, version: string | null): Promise<void> {
  await page.waitForFunction((seen) => document.querySelector('.game')?.getAttribute('data-version') !== seen, version);
}

/** Clicks a checker the engine highlights as movable, then the first highlighted target. */
export async function moveOneChecker(page: Page, offer: Offer): Promise<void> {
  await page.click(`.board [data-point="${offer.movable}"]`);
  await page.click('.board .target >> nth=0');
  await nextVersion(page, offer.version);
}

/** Clicks the button for an action and waits for the patch it brings. */
export async function clickAction(page: Page, action: string, version: string | null): Promise<void> {
  await page.click(`[data-action="${action}"]`);
  await nextVersion(page, version);
}

export async function isOver(page: Page): Promise<boolean> {
  return (await page.locator('.result h2').count()) > 0;
}

export interface PlayHooks {
  /** Acts instead of the usual move when it returns true. */
  instead?(page: Page, offer: Offer): Promise<boolean>;
  /** Called after each action, with how many were taken so far. */
  after?(actions: number): Promise<void>;
}

/** Plays for every page whatever its board offers (moves, confirm, roll) until each shows the result. */
export async function playToTheEnd(players: readonly Page[], hooks: PlayHooks = {}): Promise<number> {
  let actions = 0;
  while (!(await everyPage(players, isOver))) {
    let acted = false;
    for (const page of players) {
      const offer = await offerOf(page);
      if (await hooks.instead?.(page, offer)) acted = true;
      else if (offer.movable !== null) await moveOneChecker(page, offer);
      else if (offer.confirm || offer.roll) await clickAction(page, offer.confirm ? 'confirm' : 'roll', offer.version);
      else continue;
      acted = true;
      actions += 1;
      await hooks.after?.(actions);
    }
    // Nothing to do on any page: the opponent (or the bot, or the server's roll) is on.
    if (!acted) await players[0]!.waitForTimeout(50);
  }
  return actions;
}

async function everyPage(pages: readonly Page[], check: (page: Page) => Promise<boolean>): Promise<boolean> {
  for (const page of pages) if (!(await check(page))) return false;
  return true;
}

/** Waits until the page shows the match (its board and first patch); returns the room id from the URL. */
export async function roomIdOf(page: Page): Promise<string> {
  await page.waitForURL(/#\/play\//);
  await page.waitForSelector('.game[data-version] .board');
  return new URL(page.url()).hash.replace('#/play/', '').split('?')[0]!;
}
