import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadInfo {
  id: number;
  /** As top -H and perf show it. */
  name: string;
  nice: number;
}

/** Each thread of this process: its id, name and nice value (field 19 of /proc/self/task/<tid>/stat). */
export function threads(): ThreadInfo[] {
  return readdirSync('/proc/self/task').map((thread) => {
    const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { id: Number(thread), name: readFileSync(`/proc/self/task/${thread}/comm`, 'utf8').trim(), nice: Number(fields[16]) };
  });
}
