/**
 * The web client's production bundle size (gzip) and the time from navigation to the first board
 * drawn, in headless Chromium against a server started here.
 * Run: npm run bench:web [-- --runs 7 --port 2633]
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { Client } from '@colyseus/sdk';
import { WEB_CLIENT_DIR } from '../src/http/web-client.js';
import { buildWebClient, DESKTOP, launchChromium } from '../test/web/browser.js';
import { median } from './spread.js';

const INITIAL_LOAD_TARGET_KB = 150;
const FIRST_BOARD_TARGET_MS = 1000;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, port: { type: 'string', default: '2633' } } });
const runs = Number(values.runs);
const baseUrl = `http://127.0.0.1:${values.port}`;

/** Gzip size of index.html and every file it loads at once (script, styles, preloaded chunks). */
async function initialLoadBytes(): Promise<{ file: string; gzip: number }[]> {
  const html = await readFile(`${WEB_CLIENT_DIR}/index.html`, 'utf8');
  const files = ['index.html', ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1]!)];
  return Promise.all(files.map(async (file) => ({ file, gzip: gzipSync(await readFile(`${WEB_CLIENT_DIR}/${file}`)).length })));
}

async function startServer() {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { ...process.env, PORT: values.port, HOST: '127.0.0.1', DATA_DIR: 'memory://', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let attempt = 0; attempt < 600; attempt++) {
    if (await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false)) return server;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  server.kill();
  throw new Error(`the server did not answer at ${baseUrl}/health`);
}

/** A match against the server's bot, for the pages to open. */
async function botMatch(): Promise<string> {
  const { token } = (await (await fetch(`${baseUrl}/auth/guest`, { method: 'POST' })).json()) as { token: string };
  const client = new Client(baseUrl);
  client.auth.token = token;
  const room = await client.create('match', { matchLength: 5, bot: 'random' });
  room.onMessage('*', () => undefined);
  return room.roomId;
}

/** Runs in the page before its scripts: notes when the first board is in the document (ms since navigation started). */
const FIRST_BOARD_WATCH = `new MutationObserver((_, observer) => {
  if (!document.querySelector('.game[data-version] .board')) return;
  window.firstBoardAt = performance.now();
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });`;

await buildWebClient();
const files = await initialLoadBytes();
const total = files.reduce((sum, file) => sum + file.gzip, 0);
console.log('Initial load (gzip):');
for (const { file, gzip } of files) console.log(`  ${file.padEnd(40)} ${(gzip / 1024).toFixed(1)} KB`);
console.log(`  total ${(total / 1024).toFixed(1)} KB (target ≤ ${INITIAL_LOAD_TARGET_KB} KB) ${total <= INITIAL_LOAD_TARGET_KB * 1024 ? 'met' : 'NOT met'}`);

const server = await startServer();
const browser = await launchChromium();
try {
  const roomId = await botMatch();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    // A fresh context each run: empty cache, no account; the page signs up a guest and joins to watch.
    const context = await browser.newContext({ ...DESKTOP, baseURL: baseUrl });
    const page = await context.newPage();
    await page.addInitScript(FIRST_BOARD_WATCH);
    await page.goto(`/#/play/${roomId}?watch=1`);
    await page.waitForFunction('window.firstBoardAt !== undefined');
    times.push(Number(await page.evaluate('window.firstBoardAt')));
    await context.close();
  }
  const middle = median(times);
  console.log(`Navigation to first board (cold cache, guest sign-up, join), ${runs} runs: median ${middle.toFixed(0)} ms, ` + `min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms (target ≤ ${FIRST_BOARD_TARGET_MS} ms) ${middle <= FIRST_BOARD_TARGET_MS ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
