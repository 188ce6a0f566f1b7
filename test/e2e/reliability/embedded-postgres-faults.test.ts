import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../../src/db/embedded-postgres';
import { assertMatchesContract } from '../../support/contract';
import { logEntries, postgresRunningOn, startServerProcess, type ServerProcess } from '../../support/server-process';

// `npm start` on the embedded database, faults included: private data folders per run.
let root: string;
const running: ServerProcess[] = [];

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-e2e-pgfault-'));
  fs.chmodSync(root, 0o755);
});
afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop('SIGKILL');
  // SIGKILLed services leave their PostgreSQL behind: stop them by their own pid files.
  for (const name of fs.readdirSync(root)) stopPostmaster(path.join(root, name));
  fs.rmSync(root, { recursive: true, force: true });
});

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function stopPostmaster(dataDir: string): void {
  try {
    process.kill(postmasterPid(dataDir), 'SIGINT');
  } catch {
    /* not running */
  }
}

async function start(dataDir: string): Promise<ServerProcess> {
  const server = await startServerProcess({ EMBEDDED_PG_DATA_DIR: dataDir });
  running.push(server);
  return server;
}

async function call(server: ServerProcess, method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = (await res.json()) as unknown;
  assertMatchesContract({ method, url, requestBody: body, status: res.status, contentType: res.headers.get('content-type') ?? undefined, body: parsed });
  return { status: res.status, body: parsed };
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Rows under `tag` in the users table, read straight from PostgreSQL with the cluster's own password. */
async function usersUnder(dataDir: string, tag: string): Promise<number> {
  const password = fs.readFileSync(path.join(path.dirname(dataDir), 'testapi-password'), 'utf8').trim();
  const port = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'testapi' });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE test_tag = $1', [tag])).rows[0]!.n;
  } finally {
    await client.end();
  }
}

const entries = (server: ServerProcess): Array<{ level?: number; msg?: string }> => logEntries(server);

describe('The embedded PostgreSQL dies under the service', () => {
  test('When its postmaster is killed with SIGKILL, then the service logs it at error level, restarts it, serves again, and SIGTERM still exits 0 promptly', async () => {
    const dataDir = path.join(root, 'killed', 'pgdata');
    const server = await start(dataDir);
    expect((await call(server, 'POST', '/scenarios/user', { tag: 'before-kill' })).status).toBe(201);

    process.kill(postmasterPid(dataDir), 'SIGKILL');

    await eventually('an error-level log of the death', () =>
      entries(server).some((entry) => entry.level === 50 && entry.msg?.includes('embedded PostgreSQL exited unexpectedly')),
    );
    await eventually('/ready 200 again', async () => (await call(server, 'GET', '/ready')).status === 200);
    expect((await call(server, 'POST', '/scenarios/user', { tag: 'after-kill' })).status).toBe(201);
    expect(await usersUnder(dataDir, 'after-kill')).toBe(1);
    expect(await usersUnder(dataDir, 'before-kill')).toBe(1);

    const stopped = await server.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(5_000);
    expect(postgresRunningOn(dataDir)).toBe(false);
  }, 60_000);

  test('When the cluster was killed before stop(), then stop() returns at once instead of waiting for an exit that already happened', async () => {
    const dataDir = path.join(root, 'stop-after-death', 'pgdata');
    const cluster = await startEmbeddedPostgres({ dataDir, durable: false });
    const pid = postmasterPid(dataDir);
    process.kill(pid, 'SIGKILL');
    await eventually('the postmaster gone', () => !fs.existsSync(`/proc/${pid}`) || fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'));
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const outcome = await Promise.race([cluster.stop().then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 3_000))]);

    expect(outcome).toBe('stopped');
    expect(Date.now() - started).toBeLessThan(1_000);
  }, 30_000);
});

describe('Two services on one data folder', () => {
  test('When a second service starts on the folder of a running one, then it refuses in one line naming the first process and EMBEDDED_PG_DATA_DIR, and the first keeps working; a leftover of a killed service is stopped and logged', async () => {
    const dataDir = path.join(root, 'shared', 'pgdata');
    const first = await start(dataDir);

    const second = start(dataDir);

    const refusal = await second.then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(new RegExp(`testapi failed to start: the embedded PostgreSQL in \\S+ belongs to testapi process ${first.child.pid}\\b.*EMBEDDED_PG_DATA_DIR=`));
    expect(refusal.split('\n').filter((line) => line.startsWith('testapi failed to start')).length).toBe(1);
    expect((await call(first, 'GET', '/ready')).status).toBe(200);
    expect((await call(first, 'POST', '/scenarios/user', { tag: 'first-still-works' })).status).toBe(201);
    expect(await usersUnder(dataDir, 'first-still-works')).toBe(1);

    // A service killed outright leaves its PostgreSQL running: the next start stops it, and says so.
    const leftover = postmasterPid(dataDir);
    await first.stop('SIGKILL');
    const third = await start(dataDir);

    expect(third.logs().some((line) => line.includes(`stopping a leftover PostgreSQL (pid ${leftover})`))).toBe(true);
    expect((await call(third, 'GET', '/ready')).status).toBe(200);
    expect(await usersUnder(dataDir, 'first-still-works')).toBe(1);
    expect((await third.stop('SIGTERM')).code).toBe(0);
  }, 60_000);
});
