import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import type { HistogramData } from './histogram.js';

/** Running totals of one generator process (cumulative since it started). */
export interface Counters {
  /** Client connections open now. */
  clients: number;
  /** Matches with both players seated and playing now. */
  matchesRunning: number;
  matchesStarted: number;
  gamesFinished: number;
  matchesFinished: number;
  messagesSent: number;
  patchesReceived: number;
  messagesReceived: number;
  /** `error` replies from the room. */
  errorReplies: number;
  /** Connections closed without the generator asking. */
  unexpectedCloses: number;
  /** create / joinById that failed. */
  joinFailures: number;
  /** SDK onError: transport or protocol errors. */
  clientErrors: number;
  /** Actions left without an answer for longer than --stall seconds. */
  stalls: number;
}

export const ZERO_COUNTERS: Counters = {
  clients: 0,
  matchesRunning: 0,
  matchesStarted: 0,
  gamesFinished: 0,
  matchesFinished: 0,
  messagesSent: 0,
  patchesReceived: 0,
  messagesReceived: 0,
  errorReplies: 0,
  unexpectedCloses: 0,
  joinFailures: 0,
  clientErrors: 0,
  stalls: 0,
};

export function errorCount(counters: Counters): number {
  return counters.errorReplies + counters.unexpectedCloses + counters.joinFailures + counters.clientErrors + counters.stalls;
}

/** CPU, event-loop delay and memory of one process over the last sample period. */
export interface ProcessSample {
  /** CPU time (user + system) as a percentage of one core. */
  cpuPercent: number;
  /** Event-loop utilisation, 0..1. */
  elu: number;
  eldP50Ms: number;
  eldP99Ms: number;
  eldMaxMs: number;
  rssMb: number;
  heapMb: number;
  /** Garbage-collection pauses in the period: their total and the longest (ms). */
  gcMs: number;
  gcMaxMs: number;
  /**
   * Time the main thread was ready to run but waited for a CPU (the run queue), as a percentage
   * of the period: what other threads and processes on the machine cost its latency. NaN where
   * the system does not tell (Linux does, in /proc/<pid>/schedstat).
   */
  cpuWaitPercent: number;
}

/** What a generator reports once a second: totals, plus the latency samples taken since its last report. */
export interface GeneratorReport {
  counters: Counters;
  /** Latency from sending `move` to the patch that contains it. */
  move: { data: HistogramData; max: number };
  /** Latency of every action (roll, move, confirm, take). */
  action: { data: HistogramData; max: number };
  process: ProcessSample;
  /** A few error descriptions, for the final report. */
  errorSamples: string[];
}

/**
 * The process's memory, NaN when it cannot be read: reading the resident size opens a file, which
 * fails while every file descriptor the process may hold is taken (a server at its open-file limit).
 */
function memoryOrNothing(): { rss: number; heapUsed: number } {
  try {
    return process.memoryUsage();
  } catch {
    return { rss: NaN, heapUsed: NaN };
  }
}

/** The larger of two figures, either of which may be NaN (unknown): the worse of two processes' delays or waits. */
export function worseOf(sofar: number, next: number): number {
  return Number.isNaN(sofar) || next > sofar ? next : sofar;
}

/** The delay monitor's timer interval; its samples include it, so it is subtracted. */
const RESOLUTION_MS = 2;

function delayMs(nanoseconds: number): number {
  return Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
}

/** Samples this process: call `sample()` periodically; each call covers the time since the previous one. */
export class ProcessMonitor {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private lastCpu = process.cpuUsage();
  private lastElu = performance.eventLoopUtilization();
  private lastAt = performance.now();
  private gcMs = 0;
  private gcMaxMs = 0;
  private readonly cpuWait = new RunQueueWait('self');
  private readonly gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.gcMs += entry.duration;
      this.gcMaxMs = Math.max(this.gcMaxMs, entry.duration);
    }
  });

  constructor() {
    this.delay.enable();
    this.gc.observe({ entryTypes: ['gc'] });
  }

  sample(): ProcessSample {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const elu = performance.eventLoopUtilization(this.lastElu);
    const elapsedMs = Math.max(1, now - this.lastAt);
    const memory = memoryOrNothing();
    const sample: ProcessSample = {
      cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
      elu: elu.utilization,
      eldP50Ms: this.delay.count > 0 ? delayMs(this.delay.percentile(50)) : 0,
      eldP99Ms: this.delay.count > 0 ? delayMs(this.delay.percentile(99)) : 0,
      eldMaxMs: this.delay.count > 0 ? delayMs(this.delay.max) : 0,
      rssMb: memory.rss / 1048576,
      heapMb: memory.heapUsed / 1048576,
      gcMs: this.gcMs,
      gcMaxMs: this.gcMaxMs,
      cpuWaitPercent: this.cpuWait.percentSinceLast(),
    };
    this.gcMs = 0;
    this.gcMaxMs = 0;
    this.lastCpu = process.cpuUsage();
    this.lastElu = performance.eventLoopUtilization();
    this.lastAt = now;
    this.delay.reset();
    return sample;
  }

  stop(): void {
    this.delay.disable();
    this.gc.disconnect();
  }
}

/**
 * The run-queue wait of a process's main thread (the task whose id is the process's), from the
 * second field of /proc/<pid>/schedstat: nanoseconds spent runnable but not running.
 */
export class RunQueueWait {
  private lastWaitNs: number | null;
  private lastAt = performance.now();

  constructor(private readonly pid: number | 'self') {
    this.lastWaitNs = this.read();
  }

  /** The wait since the previous call as a percentage of the time passed; NaN when unreadable. */
  percentSinceLast(): number {
    const waitNs = this.read();
    const now = performance.now();
    const percent = waitNs === null || this.lastWaitNs === null ? NaN : ((waitNs - this.lastWaitNs) / 1e6 / Math.max(1, now - this.lastAt)) * 100;
    this.lastWaitNs = waitNs;
    this.lastAt = now;
    return percent;
  }

  private read(): number | null {
    try {
      const waitNs = Number(readFileSync(`/proc/${this.pid}/schedstat`, 'utf8').split(' ')[1]);
      return Number.isFinite(waitNs) ? waitNs : null;
    } catch {
      return null;
    }
  }
}
