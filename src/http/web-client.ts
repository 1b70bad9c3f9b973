import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** Where `npm run build:web` (Vite) writes the browser client. */
export const WEB_CLIENT_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * The web client at `/`: index.html is revalidated on every load, the hashed files under
 * /assets/ are cached for a year (a new build gives them new names). Without a build, `/` says
 * how to make one instead of answering 404.
 */
export function webClient(directory = WEB_CLIENT_DIR): Router {
  const router = Router();
  router.use(
    '/assets',
    express.static(`${directory}/assets`, { immutable: true, maxAge: YEAR_SECONDS * 1000, index: false }),
  );
  router.get('/', (_request, response) => {
    if (!existsSync(`${directory}/index.html`)) {
      response.status(503).type('text').send('The web client is not built: run `npm run build:web` (npm install does it).\n');
      return;
    }
    response.set('cache-control', 'no-cache').sendFile('index.html', { root: directory });
  });
  return router;
}
