import { defineConfig } from 'vite';

// In development (npm run dev:web) the page talks to a server started with npm start: the REST
// routes through this proxy, the rooms directly at that server (see web/src/match.ts).
const server = process.env.TAVLA_SERVER ?? 'http://localhost:2567';

export default defineConfig(({ command }) => ({
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
  define: command === 'serve' ? { 'import.meta.env.VITE_TAVLA_SERVER': JSON.stringify(server) } : {},
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: Object.fromEntries(['/auth', '/matches', '/users', '/leaderboard', '/health'].map((path) => [path, server])),
  },
}));
