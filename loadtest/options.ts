import { parseArgs } from 'node:util';
import { openFilesProblem } from './open-files.js';
import type { RoomKind } from './generator.js';
import type { DatabaseKind } from './server-set.js';

export const HELP = `Usage: npm run loadtest -- [options]

Servers
  --url URL            server to load (default ws://127.0.0.1:2567)
  --server-pid PID     sample CPU and memory of a server started elsewhere (Linux /proc)
  --spawn-server       start the project's server (loadtest/serve.ts) on free ports and load it
  --processes N        with --spawn-server: N processes on consecutive free ports (default 1),
                       joined by Redis, on a new PostgreSQL database
  --compare-processes LIST   with --spawn-server: measure with each count in turn, e.g. 1,2,
                       and print each against the first
  --redis              join the processes through Redis even when there is one
  --redis-url URL      Redis server and database index the processes share, emptied before and
                       after (default redis://127.0.0.1:6379/15)
  --database KIND      pglite (one process) or postgresql: a database created for the run and
                       dropped after (default postgresql with several processes, else pglite)
  --postgres-url URL   PostgreSQL database to create that database from
                       (default postgresql://postgres@127.0.0.1:5432/postgres)

Load
  --room KIND          match (default), baseline (a room whose only state is a counter; spawned
                       servers only) or both: match, then baseline, against the same servers
  --matches N          matches (rooms) kept running, two clients each (default 20)
  --duration S         seconds measured once all matches run and the warm-up is over (default 20)
  --warmup S           seconds between all matches running and the measurement (default 5)
  --ramp R             matches started per second while ramping up (default 50)
  --match-length L     points per match (default 5)
  --think MS           mean pause before each action (0.5x..1.5x, default 0: as fast as the rules allow)
  --on-end MODE        rematch (default): both players ask for a rematch; new: leave, start a new match
  --max-rate R         messages per second per client at most (default 400; the room disconnects above 500)
  --join-concurrency J matches joining at once at most, per generator process (default 50)
  --workers K          generator processes (default 1); matches and ramp are split between them.
                       From about 2,000 matches give 2 or more: one process's own GC and event-loop
                       pauses show in the latency figures

Measurement
  --runs R             repeat the whole measurement R times; print each run and the spread (default 1)
  --find-max           double the matches from --matches until the p99 limit or an error breaks
                       (or halve them until a step holds), then narrow the gap (--refine), and
                       print the most that held
  --refine N           with --find-max: steps that halve the gap between the most held and the
                       fewest broken after doubling (default 2: 2,000 held and 4,000 broke try
                       3,000, then 2,500 or 3,500); doubling stopped by --max-matches or the
                       open-file limit tries that count first
  --max-matches N      with --find-max: go no higher (default 64000), nor past the most matches
                       whose clients fit under the open-file limit (ulimit -n)
  --p99-limit MS       the steady-state move-to-patch p99 must be at most MS (default 50 with
                       --find-max; otherwise only checked when given)
  --idle S             after the steady state, measure the servers' CPU for S seconds with every
                       client connected and silent, and give the CPU per action net of it (default 10; 0: no)
  --interval S         seconds between progress lines (default 5)
  --stall S            an action or match without a patch for S seconds is an error (default 10)
  --help               this text

Exits 0 when no error occurred (and the p99 limit, if given, held) in every measurement, 1 otherwise.`;

export interface Options {
  url: string;
  spawnServer: boolean;
  serverPid: number | null;
  /** Process counts to measure, in order. */
  processCounts: number[];
  redis: boolean;
  redisUrl: string;
  database: DatabaseKind;
  postgresUrl: string;
  rooms: RoomKind[];
  matches: number;
  duration: number;
  warmup: number;
  ramp: number;
  matchLength: number;
  onEnd: 'rematch' | 'new';
  think: number;
  joinConcurrency: number;
  maxRate: number;
  workers: number;
  runs: number;
  findMax: boolean;
  maxMatches: number;
  refine: number;
  idle: number;
  interval: number;
  stall: number;
  p99Limit: number | null;
}

const ROOM_CHOICES: Record<string, RoomKind[]> = { match: ['match'], baseline: ['baseline'], both: ['match', 'baseline'] };

function number(name: string, text: string | undefined, min: number, integer = true): number {
  const value = Number(text);
  if (text === undefined || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be ${integer ? 'a whole number' : 'a number'} >= ${min}, not "${text}"`);
  }
  return value;
}

function processCounts(processes: string, compare: string | undefined): number[] {
  if (compare === undefined) return [number('processes', processes, 1)];
  const counts = compare.split(',').map((part) => number('compare-processes', part.trim(), 1));
  if (counts.length < 2) throw new Error('--compare-processes needs two counts or more, e.g. 1,2');
  return counts;
}

export function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:2567' },
      'spawn-server': { type: 'boolean', default: false },
      'server-pid': { type: 'string' },
      processes: { type: 'string', default: '1' },
      'compare-processes': { type: 'string' },
      redis: { type: 'boolean', default: false },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379/15' },
      database: { type: 'string' },
      'postgres-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
      room: { type: 'string', default: 'match' },
      matches: { type: 'string', default: '20' },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      ramp: { type: 'string', default: '50' },
      'match-length': { type: 'string', default: '5' },
      'on-end': { type: 'string', default: 'rematch' },
      think: { type: 'string', default: '0' },
      'join-concurrency': { type: 'string', default: '50' },
      'max-rate': { type: 'string', default: '400' },
      workers: { type: 'string', default: '1' },
      runs: { type: 'string', default: '1' },
      'find-max': { type: 'boolean', default: false },
      'max-matches': { type: 'string', default: '64000' },
      refine: { type: 'string', default: '2' },
      idle: { type: 'string', default: '10' },
      interval: { type: 'string', default: '5' },
      stall: { type: 'string', default: '10' },
      'p99-limit': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (values['on-end'] !== 'rematch' && values['on-end'] !== 'new') throw new Error(`--on-end must be rematch or new, not "${values['on-end']}"`);
  const rooms = ROOM_CHOICES[values.room];
  if (!rooms) throw new Error(`--room must be match, baseline or both, not "${values.room}"`);
  const counts = processCounts(values.processes, values['compare-processes']);
  const several = counts.some((count) => count > 1);
  if (!values['spawn-server'] && (several || values['compare-processes'] !== undefined)) throw new Error('--processes and --compare-processes need --spawn-server');
  const database = values.database ?? (several ? 'postgresql' : 'pglite');
  if (database !== 'pglite' && database !== 'postgresql') throw new Error(`--database must be pglite or postgresql, not "${database}"`);
  if (several && database === 'pglite') throw new Error('several processes share one PostgreSQL database: drop --database pglite');
  const findMax = values['find-max'];
  const options: Options = {
    url: values.url,
    spawnServer: values['spawn-server'],
    serverPid: values['server-pid'] === undefined ? null : number('server-pid', values['server-pid'], 1),
    processCounts: counts,
    redis: values.redis,
    redisUrl: values['redis-url'],
    database,
    postgresUrl: values['postgres-url'],
    rooms,
    matches: number('matches', values.matches, findMax ? 1 : 0),
    duration: number('duration', values.duration, 0, false),
    warmup: number('warmup', values.warmup, 0, false),
    ramp: number('ramp', values.ramp, 0.1, false),
    matchLength: number('match-length', values['match-length'], 1),
    onEnd: values['on-end'],
    think: number('think', values.think, 0, false),
    joinConcurrency: number('join-concurrency', values['join-concurrency'], 1),
    maxRate: number('max-rate', values['max-rate'], 1, false),
    workers: number('workers', values.workers, 1),
    runs: number('runs', values.runs, 1),
    findMax,
    maxMatches: number('max-matches', values['max-matches'], 1),
    refine: number('refine', values.refine, 0),
    idle: number('idle', values.idle, 0, false),
    interval: number('interval', values.interval, 0.5, false),
    stall: number('stall', values.stall, 1, false),
    p99Limit: values['p99-limit'] === undefined ? (findMax ? 50 : null) : number('p99-limit', values['p99-limit'], 0, false),
  };
  // find-max checks each step itself (loadtest/find-max.ts).
  if (!findMax) {
    for (const count of options.spawnServer ? counts : [null]) {
      const problem = openFilesProblem(options.matches, options.workers, count);
      if (problem) throw new Error(problem);
    }
  }
  return options;
}
