import { Worker, type MessagePort } from 'node:worker_threads';
import type { JournalSettings } from './journal-host.js';

export type PGliteRequest =
  | { readonly id: number; readonly op: 'query'; readonly sql: string; readonly params?: unknown[]; readonly options?: unknown }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string; readonly options?: unknown }
  | { readonly id: number; readonly op: 'begin' | 'commit' | 'rollback' | 'close' }
  | { readonly id: number; readonly op: 'journal'; readonly port: MessagePort; readonly settings: JournalSettings };

export type PGliteResponse = { readonly id: number; readonly result: unknown } | { readonly id: number; readonly error: SerializedError };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly fields: Record<string, string | number>;
}

/** The part of PGlite that MikroORM and Kysely use. */
export interface PGliteLike {
  query(sql: string, params?: unknown[], options?: unknown): Promise<unknown>;
  exec(sql: string, options?: unknown): Promise<unknown>;
  transaction<T>(callback: (tx: PGliteLike & { rollback(): Promise<void>; closed: boolean }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly waitReady: Promise<void>;
  readonly ready: boolean;
  readonly closed: boolean;
}

/**
 * PGlite on a worker thread, with PGlite's own interface: queries wait for a transaction in
 * progress, as PGlite's exclusive transactions make them, and run one at a time.
 */
export class PGliteThread implements PGliteLike {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private turn: Promise<unknown> = Promise.resolve();
  private isReady = false;
  private isClosed = false;

  constructor(dataDir: string) {
    // The worker is TypeScript like the rest: it starts with this process's loader flags (tsx).
    this.worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), { workerData: { dataDir }, execArgv: loaderFlags(process.execArgv) });
    this.waitReady = new Promise((resolve, reject) => this.pending.set(0, { resolve: () => resolve(), reject }));
    void this.waitReady.then(() => (this.isReady = true), () => undefined);
    this.worker.on('message', (response: PGliteResponse) => this.settle(response));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the embedded database's thread exited (code ${code})`)));
  }

  // The thread keeps the process alive only while it owes an answer, as a socket to a database server would.
  private holdProcess(): void {
    if (this.pending.size === 0) this.worker.unref();
    else this.worker.ref();
  }

  get ready(): boolean {
    return this.isReady;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  query(sql: string, params?: unknown[], options?: unknown): Promise<unknown> {
    return this.inTurn(() => this.send({ id: this.nextId++, op: 'query', sql, params, options }));
  }

  exec(sql: string, options?: unknown): Promise<unknown> {
    return this.inTurn(() => this.send({ id: this.nextId++, op: 'exec', sql, options }));
  }

  transaction<T>(callback: Parameters<PGliteLike['transaction']>[0]): Promise<T> {
    return this.inTurn(async () => {
      await this.send({ id: this.nextId++, op: 'begin' });
      let open = true;
      const tx = {
        query: (sql: string, params?: unknown[], options?: unknown) => this.send({ id: this.nextId++, op: 'query', sql, params, options }),
        exec: (sql: string, options?: unknown) => this.send({ id: this.nextId++, op: 'exec', sql, options }),
        rollback: async () => {
          open = false;
          await this.send({ id: this.nextId++, op: 'rollback' });
        },
        get closed() {
          return !open;
        },
      } as unknown as PGliteLike & { rollback(): Promise<void>; closed: boolean };
      try {
        const result = (await callback(tx)) as T;
        if (open) await this.send({ id: this.nextId++, op: 'commit' });
        return result;
      } catch (error) {
        if (open) await this.send({ id: this.nextId++, op: 'rollback' }).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Runs the match journal's writer on this thread, next to the database: entries come in through `port`. */
  serveJournal(port: MessagePort, settings: JournalSettings): void {
    this.worker.postMessage({ id: 0, op: 'journal', port, settings } satisfies PGliteRequest, [port]);
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.inTurn(() => this.send({ id: this.nextId++, op: 'close' })).catch(() => undefined);
    this.isClosed = true;
    await this.worker.terminate();
  }

  /** One statement (or transaction) at a time, in the order they were asked for. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work);
    this.turn = result.catch(() => undefined);
    return result;
  }

  private send(request: PGliteRequest): Promise<unknown> {
    if (this.isClosed) return Promise.reject(new Error('the embedded database is closed'));
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.holdProcess();
      this.worker.postMessage(request);
    });
  }

  private settle(response: PGliteResponse): void {
    const waiting = this.pending.get(response.id);
    if (!waiting) return;
    this.pending.delete(response.id);
    this.holdProcess();
    if ('error' in response) waiting.reject(revive(response.error));
    else waiting.resolve(response.result);
  }

  private failAll(error: Error): void {
    this.isClosed = true;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** The module loader flags of this process (`--import tsx`...): a worker refuses V8 flags such as `--max-semi-space-size`. */
export function loaderFlags(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < execArgv.length; index++) {
    const flag = execArgv[index]!;
    if (/^--(import|require|loader|experimental-loader)=/.test(flag)) kept.push(flag);
    else if (/^(--import|--require|--loader|--experimental-loader|-r)$/.test(flag)) kept.push(flag, execArgv[++index]!);
  }
  return kept;
}

function revive(serialized: SerializedError): Error {
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  return error;
}
