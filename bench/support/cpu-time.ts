import fs from 'node:fs';

/** USER_HZ: 100 on every Linux the bench targets. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuTime {
  user: number;
  system: number;
}

/** Fields after the command name (which may hold spaces): index 0 is the state. */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

const ms = (ticks: string): number => (Number(ticks) * 1000) / CLOCK_TICKS_PER_SECOND;

/** CPU a process has used so far, in ms (system: the kernel's share, e.g. socket calls). */
export function processCpu(pid: number): CpuTime {
  const fields = statFields(pid);
  return { user: ms(fields[11]), system: ms(fields[12]) };
}

/**
 * CPU of a process and its children so far: the process, its live children,
 * and (through its children fields) every child that already exited. A
 * PostgreSQL cluster is its postmaster's tree; the service with
 * TESTAPI_WORKERS > 1 is its primary's (the cluster workers).
 */
export function treeCpu(rootPid: number): CpuTime {
  const own = statFields(rootPid);
  const total = { user: ms(own[11]) + ms(own[13]), system: ms(own[12]) + ms(own[14]) };
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = statFields(Number(name));
      if (Number(fields[1]) !== rootPid) continue;
      total.user += ms(fields[11]) + ms(fields[13]);
      total.system += ms(fields[12]) + ms(fields[14]);
    } catch {
      /* exited meanwhile */
    }
  }
  return total;
}

export function selfCpu(): CpuTime {
  const usage = process.cpuUsage();
  return { user: usage.user / 1000, system: usage.system / 1000 };
}

/** Measures CPU of several processes across `work`, per unit of work done. */
export async function cpuPerUnit<T>(
  sources: Record<string, () => CpuTime>,
  work: () => Promise<T>,
  units: (result: T) => number,
): Promise<{ result: T; perUnit: Record<string, number> }> {
  const before = Object.fromEntries(Object.entries(sources).map(([name, read]) => [name, read()]));
  const result = await work();
  const count = units(result);
  const perUnit: Record<string, number> = {};
  for (const [name, read] of Object.entries(sources)) {
    const after = read();
    perUnit[name] = (after.user + after.system - before[name].user - before[name].system) / count;
  }
  return { result, perUnit };
}

/** The processes a measurement's CPU is split over: the service, PostgreSQL, and the bench itself (the client). */
export function cpuSources(which: { servicePid?: number; postmasterPid?: number; client?: boolean }): Record<string, () => CpuTime> {
  const sources: Record<string, () => CpuTime> = {};
  const { servicePid, postmasterPid } = which;
  if (servicePid) sources.service = () => treeCpu(servicePid);
  if (postmasterPid) sources.postgres = () => treeCpu(postmasterPid);
  if (which.client) sources.client = selfCpu;
  return sources;
}

/** `service 4.28 + postgres 3.64 + client 0.52`: one figure per process, same unit. */
export function describeCpu(cpu: Record<string, number>, digits = 2): string {
  return Object.entries(cpu)
    .map(([name, value]) => `${name} ${value.toFixed(digits)}`)
    .join(' + ');
}
