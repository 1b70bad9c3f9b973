/**
 * The figures of every measurement of a run of the tool, side by side: one table row per
 * measurement, the ratios the targets are set on, and with several runs the spread (min-max).
 */
import type { RoomKind } from './generator.js';
import { ms, pad, usPerAction, type PhaseResult } from './phase.js';

/** One measurement: a room on a set of servers in one run; with --find-max, the last step that held. */
export interface Measurement {
  run: number;
  processes: number;
  room: RoomKind;
  /** The steady state measured; with --find-max, the largest count that held (null: none held). */
  result: PhaseResult | null;
  /** With --find-max: the step that broke, if one did. */
  broke: PhaseResult | null;
}

const PROCESS_TARGET = 1.1;
const BASELINE_TARGET = 1.5;

const COLUMNS: [string, number, (m: Measurement) => string][] = [
  ['run', 4, (m) => String(m.run)],
  ['procs', 6, (m) => String(m.processes)],
  ['room', 9, (m) => m.room],
  ['matches', 8, (m) => (m.result ? String(m.result.matches) : 'none')],
  ['actions/s', 10, (m) => (m.result ? m.result.actionsPerSecond.toFixed(0) : '-')],
  ['move p50/p95/p99/max ms', 24, (m) => (m.result ? [m.result.moveP50, m.result.moveP95, m.result.moveP99, m.result.moveMax].map(ms).join(' / ') : '-')],
  ['errors', 7, (m) => (m.result ? String(m.result.errors) : '-')],
  ['server cpu', 11, (m) => (m.result ? `${m.result.serverCpuPercent.toFixed(0)}%` : '-')],
  ['cpu/action', 11, (m) => (m.result ? usPerAction(m.result.cpuPerActionUs) : '-')],
  ['idle cpu', 9, (m) => (m.result && Number.isFinite(m.result.idleCpuPercent) ? `${m.result.idleCpuPercent.toFixed(1)}%` : '-')],
  ['net/action', 11, (m) => (m.result ? usPerAction(m.result.netCpuPerActionUs) : '-')],
  ['srv eld p99', 12, (m) => (m.result ? `${ms(m.result.serverEldP99)} ms` : '-')],
  ['gen cpu', 8, (m) => (m.result ? `${m.result.generatorCpuPercent.toFixed(0)}%` : '-')],
  ['other cpu', 10, (m) => (m.result && Number.isFinite(m.result.otherCpuPercent) ? `${m.result.otherCpuPercent.toFixed(0)}%` : '-')],
  ['held', 5, (m) => (m.result?.held ? 'yes' : 'no')],
];

export function printReport(measurements: Measurement[], findMax: boolean, p99Limit: number): void {
  if (measurements.length === 0) return;
  console.log('');
  console.log(findMax ? `=== most concurrent matches held (move-to-patch p99 <= ${p99Limit} ms, 0 errors), figures of that step ===` : '=== every measurement ===');
  console.log(COLUMNS.map(([title, width]) => pad(title, width)).join(''));
  for (const measurement of measurements) console.log(COLUMNS.map(([, width, cell]) => pad(cell(measurement), width)).join(''));
  if (findMax) printBreaks(measurements);
  const ratios = ratiosOf(measurements);
  if (ratios.length > 0) {
    console.log('');
    console.log('=== server cpu per action, ratios (net of the idle floor, and gross) ===');
    for (const ratio of ratios) console.log(`run ${ratio.run}: ${describeRatio(ratio)}`);
  }
  if (new Set(measurements.map((m) => m.run)).size > 1) printSpreads(measurements, ratios);
}

function printBreaks(measurements: Measurement[]): void {
  for (const { run, processes, room, result, broke } of measurements) {
    if (!broke) {
      if (result) console.log(`run ${run}, ${processes} process(es), ${room}: held every step up to ${result.matches} matches (--max-matches)`);
      continue;
    }
    console.log(`run ${run}, ${processes} process(es), ${room}: ${broke.matches} matches broke: p99 ${ms(broke.moveP99)} ms, ${broke.errors} errors, ${broke.matchesRunning} running`);
  }
}

interface Ratio {
  run: number;
  /** Groups the same ratio over runs. */
  label: string;
  /** Of the CPU per action net of the idle floor; NaN where it was not measured. */
  net: number;
  gross: number;
  /** The idle floor is most of either side's steady CPU: the net figure is mostly noise. */
  idleDominates: boolean;
  target: number;
}

/** Per run: each room on N processes against the first process count, and the match room against the baseline. */
function ratiosOf(measurements: Measurement[]): Ratio[] {
  const ratios: Ratio[] = [];
  const find = (run: number, processes: number, room: RoomKind) => measurements.find((m) => m.run === run && m.processes === processes && m.room === room)?.result;
  const ratio = (run: number, label: string, of: PhaseResult, to: PhaseResult, target: number): Ratio => ({
    run,
    label,
    net: of.netCpuPerActionUs / to.netCpuPerActionUs,
    gross: of.cpuPerActionUs / to.cpuPerActionUs,
    idleDominates: idleDominates(of) || idleDominates(to),
    target,
  });
  for (const m of measurements) {
    if (!m.result) continue;
    const first = measurements.find((other) => other.run === m.run && other.room === m.room)!;
    if (first.processes !== m.processes && first.result) {
      ratios.push(ratio(m.run, `${m.room} room, ${m.processes} processes / ${first.processes}:`, m.result, first.result, PROCESS_TARGET));
    }
    const baseline = find(m.run, m.processes, 'baseline');
    if (m.room === 'match' && baseline) ratios.push(ratio(m.run, `${m.processes} process(es), match room / baseline:`, m.result, baseline, BASELINE_TARGET));
  }
  return ratios.filter((entry) => Number.isFinite(entry.gross));
}

/** More than half of the steady state's CPU is the idle floor. */
function idleDominates(result: PhaseResult): boolean {
  return result.idleCpuPercent > result.serverCpuPercent / 2;
}

function describeRatio(ratio: Ratio): string {
  const judged = Number.isFinite(ratio.net) && !ratio.idleDominates ? ratio.net : ratio.gross;
  const verdict = judged <= ratio.target ? 'met' : 'NOT met';
  const net = Number.isFinite(ratio.net) ? `net ${ratio.net.toFixed(2)}x, ` : '';
  const caveat = ratio.idleDominates ? ' (the idle floor is most of the CPU: too little load for a net figure, judged on gross)' : '';
  return `${ratio.label} ${net}gross ${ratio.gross.toFixed(2)}x (target <= ${ratio.target}x) ${verdict}${caveat}`;
}

function printSpreads(measurements: Measurement[], ratios: Ratio[]): void {
  console.log('');
  console.log('=== spread over runs (min-max) ===');
  const groups = new Map<string, PhaseResult[]>();
  for (const m of measurements) {
    if (!m.result) continue;
    const key = `${m.processes} process(es), ${m.room}`;
    groups.set(key, [...(groups.get(key) ?? []), m.result]);
  }
  for (const [key, results] of groups) {
    console.log(
      `${pad(key, 28)} matches ${spread(results.map((r) => r.matches), String)}, actions/s ${spread(results.map((r) => r.actionsPerSecond), (v) => v.toFixed(0))}, ` +
        `move p99 ${spread(results.map((r) => r.moveP99), ms)} ms, max ${spread(results.map((r) => r.moveMax), ms)} ms, errors ${spread(results.map((r) => r.errors), String)}, ` +
        `server cpu ${spread(results.map((r) => r.serverCpuPercent), (v) => v.toFixed(0))}%, cpu/action ${spread(results.map((r) => r.cpuPerActionUs), (v) => v.toFixed(0))} µs, ` +
        `idle cpu ${spread(results.map((r) => r.idleCpuPercent), (v) => v.toFixed(1))}%, net/action ${spread(results.map((r) => r.netCpuPerActionUs), (v) => v.toFixed(0))} µs, ` +
        `other cpu ${spread(results.map((r) => r.otherCpuPercent), (v) => v.toFixed(0))}%`,
    );
  }
  const byLabel = new Map<string, Ratio[]>();
  for (const ratio of ratios) byLabel.set(ratio.label, [...(byLabel.get(ratio.label) ?? []), ratio]);
  for (const [label, values] of byLabel) {
    const format = (value: number) => value.toFixed(2);
    console.log(`${label} net ${spread(values.map((r) => r.net), format)}x, gross ${spread(values.map((r) => r.gross), format)}x`);
  }
}

function spread(values: number[], format: (value: number) => string): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '-';
  const low = format(Math.min(...finite));
  const high = format(Math.max(...finite));
  return low === high ? low : `${low}-${high}`;
}
