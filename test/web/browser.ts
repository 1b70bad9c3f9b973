import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ColyseusTestServer } from '@colyseus/testing';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { bootServer, TEST_PORT } from '../support/match-clients.js';
import { requireService } from '../support/services.js';

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

export interface BrowserSuite {
  readonly browser: Browser;
  readonly baseUrl: string;
  /** A page in a fresh context (its own storage), at the suite's server. */
  page(options?: BrowserContextOptions): Promise<Page & { errors: string[] }>;
}

/**
 * Call inside a describe: builds the client, boots a test server on TAVLA_TEST_PORT and launches
 * Chromium before the suite (skipping it without Chromium), and closes them after.
 */
export function browserSuite(): BrowserSuite {
  const baseUrl = `http://127.0.0.1:${TEST_PORT}`;
  let server: ColyseusTestServer | undefined;
  let browser: Browser | undefined;
  before(async function () {
    await requireService(this, 'chromium');
    await buildWebClient();
    server = await bootServer();
    browser = await launchChromium();
  });
  // The server goes first: pages closed under a live match would leave their seats waiting for a
  // reconnection, whose timers Colyseus keeps after shutdown (holding the test process a minute).
  after(async () => {
    await server?.shutdown();
    await browser?.close();
  });
  return {
    baseUrl,
    get browser() {
      return browser!;
    },
    page: (options = DESKTOP) => newPage(browser!, options, baseUrl),
  };
}
