// PM2: several Tavla processes on one machine, joined by Redis. Start with
//   DATABASE_URL=postgresql://... REDIS_URL=redis://... JWT_SECRET=... DICE_KEY=... npx pm2 start ecosystem.config.js
// Each process listens on PORT (default 2567) plus its instance number, 0, 1, 2 ..., and tells
// clients to reach its rooms at PUBLIC_ADDRESS, where {port} stands for that port.
import { availableParallelism } from 'node:os';

const instances = Number(process.env.TAVLA_PROCESSES ?? availableParallelism());

// A named export: PM2 reads `apps` from the module it loads.
export const apps = [
  {
    name: 'tavla',
    // The Node 22 binary the `node` devDependency installs, running the TypeScript sources through tsx.
    script: 'src/index.ts',
    interpreter: './node_modules/node/bin/node',
    interpreter_args: '--import tsx --max-semi-space-size=64',
    exec_mode: 'fork',
    instances,
    // @colyseus/tools tells PM2 when the process listens.
    wait_ready: true,
    listen_timeout: 60_000,
    // Rooms close and the journal is flushed on SIGTERM before the process exits.
    kill_timeout: 15_000,
    env: {
      NODE_ENV: 'production',
      PORT: process.env.PORT ?? '2567',
      DATABASE_URL: process.env.DATABASE_URL,
      REDIS_URL: process.env.REDIS_URL,
      JWT_SECRET: process.env.JWT_SECRET,
      DICE_KEY: process.env.DICE_KEY,
      PUBLIC_ADDRESS: process.env.PUBLIC_ADDRESS,
      TRUSTED_PROXIES: process.env.TRUSTED_PROXIES,
    },
  },
];
