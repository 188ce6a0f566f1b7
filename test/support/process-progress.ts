import fs from 'node:fs';

/**
 * CPU time (in clock ticks) used so far by a process and every process it
 * started (running ones, and ended ones it waited for): a starting service
 * spends its time in itself, in initdb and in the PostgreSQL it launched.
 * Linux only (/proc); elsewhere undefined, and callers fall back to output.
 */
export function cpuTicksOfTree(rootPid: number): number | undefined {
  if (!fs.existsSync('/proc/self/stat')) return undefined;
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // Fields after the command name, which is in parentheses and may hold spaces: state ppid ... utime(14) stime cutime cstime.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    parents.set(pid, Number(fields[1]));
    ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
  }
  if (!ticks.has(rootPid)) return undefined;
  let total = 0;
  for (const [pid, used] of ticks) {
    for (let current: number | undefined = pid, hops = 0; current !== undefined && current > 1 && hops < 64; current = parents.get(current), hops += 1) {
      if (current === rootPid) {
        total += used;
        break;
      }
    }
  }
  return total;
}
