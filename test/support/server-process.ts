import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cpuTicksOfTree } from './process-progress';

const SERVER_ENTRY = path.join(__dirname, '..', '..', 'dist', 'src', 'server.js');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Every log line so far (JSON objects from pino, or raw text). */
  logs(): string[];
  /** Sends `signal` and resolves with the exit code and how long exiting took. */
  /** Sends `signal` and resolves on exit: `exitSignal` names the signal that ended it, when its own exit did not. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; exitSignal: NodeJS.Signals | null; ms: number }>;
}

/** The JSON log lines so far, parsed (raw text lines are left out); `T` names the fields a test reads. */
export function logEntries<T extends object>(server: ServerProcess): T[] {
  return server.logs().flatMap((line) => {
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}

/**
 * Starts the built service (`npm run build` output) as a user would, on a
 * free port, and resolves once it listens.
 *
 * It gives up when the service is stuck, not when it is slow: after
 * `stallMs` without any progress (no new output and no CPU time used by the
 * service or the processes it started). On a busy machine a start takes many
 * times longer than on an idle one and still makes progress all along (seen:
 * more than 20 s under two suites at once); a service waiting on something
 * that never comes uses no CPU and says nothing.
 */
export async function startServerProcess(env: Record<string, string>, stallMs = 20_000): Promise<ServerProcess> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', TAG_SWEEP_INTERVAL_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  const collect = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ended = new Promise<{ code: number | null; exitSignal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, exitSignal) => resolve({ code, exitSignal })));
  const exited = ended.then((end) => end.code);

  const port = await new Promise<number>((resolve, reject) => {
    let lastProgressAt = Date.now();
    let seen = { lines: 0, ticks: child.pid === undefined ? undefined : cpuTicksOfTree(child.pid) };
    const watch = setInterval(() => {
      const now = { lines: lines.length, ticks: child.pid === undefined ? undefined : cpuTicksOfTree(child.pid) };
      if (now.lines !== seen.lines || now.ticks !== seen.ticks) lastProgressAt = Date.now();
      seen = now;
      if (Date.now() - lastProgressAt < stallMs) return;
      stopWatching();
      // A service that never listens must not outlive the test (Jest would hang on it).
      child.kill('SIGKILL');
      reject(new Error(`service made no progress (no output, no CPU time) for ${stallMs} ms before listening:\n${lines.join('\n')}`));
    }, 250);
    const poll = setInterval(() => {
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as { port?: number; msg?: string };
          if (entry.msg?.startsWith('testapi listening') && entry.port) {
            stopWatching();
            resolve(entry.port);
            return;
          }
        } catch {
          /* not JSON */
        }
      }
    }, 25);
    function stopWatching(): void {
      clearInterval(poll);
      clearInterval(watch);
    }
    void exited.then((code) => {
      stopWatching();
      reject(new Error(`service exited (${code}) before listening:\n${lines.join('\n')}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs: () => [...lines],
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode === null) child.kill(signal);
      const { code, exitSignal } = await ended;
      return { code, exitSignal, ms: Date.now() - started };
    },
  };
}

/** Is any PostgreSQL process still running on `dataDir`? */
export function postgresRunningOn(dataDir: string): boolean {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('postgres') && cmdline.includes(dataDir)) return true;
    } catch {
      /* process ended meanwhile */
    }
  }
  return false;
}
