import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { databaseUrl } from '../support/database';
import { postgresRunningOn } from '../support/server-process';

// The start command as the README gives it, run as a supervisor would: its
// process is the one that gets SIGTERM. And a busy port, reported before the
// build and the embedded database's initdb.
const ROOT = path.join(__dirname, '..', '..');

let root: string;
let busy: net.Server;
let busyPort: number;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-start-'));
  fs.chmodSync(root, 0o755);
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every process below `pid`, read from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      // The command name in field 2 may hold spaces: the parent id is the second field after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    } catch {
      /* ended meanwhile */
    }
  }
  const found: number[] = [];
  const walk = (id: number): void => {
    for (const child of children.get(id) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm start under a supervisor', () => {
  test('When SIGTERM goes to the process `npm start` started, then the service shuts down and neither it nor its PostgreSQL is left behind', async () => {
    const dataDir = path.join(root, 'pgdata');
    // --ignore-scripts skips only the prestart build (npm test has built dist/); start itself runs.
    const npm = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, PORT: '0', EMBEDDED_PG_DATA_DIR: dataDir, TAG_SWEEP_INTERVAL_SECONDS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!output.includes('testapi listening') && Date.now() < deadline && npm.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output).toContain('testapi listening');
    const tree = descendants(npm.pid!);
    expect(postgresRunningOn(dataDir)).toBe(true);

    npm.kill('SIGTERM');
    await exited;

    expect(output).toContain('shutdown complete');
    // The service exits on its own; npm follows it. Give the last exits a moment to be reaped.
    const until = Date.now() + 5_000;
    while (tree.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tree.filter(alive)).toEqual([]);
    expect(postgresRunningOn(dataDir)).toBe(false);
  }, 60_000);
});

describe('A port already in use', () => {
  const expected = (port: number) => new RegExp(`^testapi: port ${port} on 127\\.0\\.0\\.1 is already in use \\(another testapi\\?\\): stop that process, or set PORT=\\d+\\n?$`);

  test('When `npm start` is run on a busy port, then it stops before the build with one line saying which PORT to set', async () => {
    const result = await run('npm', ['start'], { PORT: String(busyPort), EMBEDDED_PG_DATA_DIR: path.join(root, 'never-npm') });

    expect(result.code).not.toBe(0);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('testapi:'))).toEqual([expect.stringMatching(expected(busyPort))]);
    // npm announces each script it runs: the prestart check ran, the build (seconds of tsc) never did.
    expect(result.stdout).toContain('> node scripts/check-port.cjs');
    expect(result.stdout).not.toMatch(/^> testapi@[\d.]+ build$/m);
    expect(fs.existsSync(path.join(root, 'never-npm'))).toBe(false);
  });

  test('When the built service is started on a busy port, then it exits 1 with that line before initdb creates the data folder', async () => {
    const result = await run(process.execPath, ['dist/src/server.js'], { PORT: String(busyPort), EMBEDDED_PG_DATA_DIR: path.join(root, 'never-node') });

    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(expected(busyPort)) });
    expect(fs.existsSync(path.join(root, 'never-node'))).toBe(false);
  });
});

describe('Logs on a terminal', () => {
  test('When stdout is a terminal and LOG_FORMAT is unset, then each request is one readable line with its route, status, duration, request id and tag', async () => {
    // util-linux's script gives the service a pseudo-terminal as stdout, as a person's shell would.
    const service = spawn('script', ['-qfec', `${process.execPath} dist/src/server.js`, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_URL: databaseUrl(), TAG_SWEEP_INTERVAL_SECONDS: '0', TERM: 'dumb' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    service.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<void>((resolve) => service.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 20_000;
      while (!/listening on http:\/\/127\.0\.0\.1:\d+/.test(output) && Date.now() < deadline && service.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(url).toBeDefined();

      const res = await fetch(`${url}/tags/log-tty-check`, { headers: { 'X-Request-Id': 'tty-line-1' } });
      expect(res.status).toBe(404);
      const until = Date.now() + 5_000;
      while (!output.includes('tty-line-1') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));

      const plain = output.replace(/\u001b\[[0-9;]*m/g, '').split(/\r?\n/);
      expect(plain.filter((line) => line.includes('tty-line-1'))).toEqual([expect.stringMatching(/^\[[\d:.]+\] WARN: GET \/tags\/log-tty-check 404 \d+ms \[tty-line-1\] tag=log-tty-check$/)]);
      expect(output).not.toContain('"level"');
    } finally {
      for (const pid of descendants(service.pid!)) if (alive(pid)) process.kill(pid, 'SIGTERM');
      await exited;
    }
  }, 30_000);
});
