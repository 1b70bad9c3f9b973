import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 } };

let built: Promise<unknown> | null = null;

/**
 * Builds the web client into dist/web, where the server serves it from; once per test run, in a
 * process of its own (Vite resolves its own modules wrongly under the test runner's loader).
 */
export function buildWebClient(): Promise<unknown> {
  built ??= promisify(execFile)('node_modules/.bin/vite', ['build', '--logLevel', 'warn']);
  return built;
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page of its own context (cookies, storage), with console errors kept for the test's messages. */
export async function newPage(browser: Browser, options: BrowserContextOptions, baseURL: string): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ ...options, baseURL });
  const page = (await context.newPage()) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  return page;
}
