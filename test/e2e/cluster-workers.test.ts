import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { assertMatchesContract } from '../support/contract';
import { logEntries, postgresRunningOn, startServerProcess, type ServerProcess } from '../support/server-process';
import { until } from '../support/until';

// The embedded default, so the test also shows that only the primary starts PostgreSQL.
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'testapi-e2e-workers-'));
  fs.chmodSync(root, 0o755);
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

interface LogLine {
  msg?: string;
  pid?: number;
  req?: { id?: string };
  tag?: string;
}

const entries = (server: ServerProcess): LogLine[] => logEntries<LogLine>(server);

const listeningPids = (server: ServerProcess): number[] =>
  entries(server)
    .filter((entry) => entry.msg?.startsWith('testapi listening') && entry.pid !== undefined)
    .map((entry) => entry.pid as number);

const alive = (pid: number): boolean => fs.existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));

/** POST /scenarios/user on a connection of its own (no keep-alive), so the primary hands each to the next worker. */
function provisionUser(server: ServerProcess, tag: string): Promise<{ status: number; body: { tag?: string } }> {
  const requestBody = { tag, seed: 1, params: {} };
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${server.url}/scenarios/user`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          const body = JSON.parse(text) as { tag?: string };
          assertMatchesContract({ method: 'post', url: '/scenarios/user', requestBody, status: response.statusCode ?? 0, contentType: response.headers['content-type'], body });
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(requestBody));
  });
}

/** The pid of the worker that logged the request line of `tag`. */
const servedBy = (server: ServerProcess, tag: string): number | undefined => entries(server).find((entry) => entry.tag === tag && entry.req?.id)?.pid;

describe('TESTAPI_WORKERS', () => {
  test('When 2 workers run, then both answer on one port; a killed worker is replaced and logged; SIGTERM stops every process and PostgreSQL', async () => {
    const dataDir = path.join(root, 'pgdata');
    const server = await startServerProcess({ TESTAPI_WORKERS: '2', EMBEDDED_PG_DATA_DIR: dataDir }, 60_000);
    const primary = server.child.pid as number;
    const [first, second] = await until('both workers listen', () => (new Set(listeningPids(server)).size === 2 ? listeningPids(server) : undefined), 30_000);
    expect(new Set([first, second, primary]).size).toBe(3);

    // Both answer: new connections go to the workers in turn.
    const tags = Array.from({ length: 6 }, (_, i) => `workers-${process.pid}-${i}`);
    for (const tag of tags) expect(await provisionUser(server, tag)).toMatchObject({ status: 201, body: { tag } });
    const pids = await until('every request line is logged', () => {
      const served = tags.map((tag) => servedBy(server, tag));
      return served.every((pid) => pid !== undefined) ? new Set(served) : undefined;
    });
    expect([...pids].sort()).toEqual([first, second].sort());

    const usingLine = server.logs().find((line) => line.includes('"using database"')) ?? '';
    const password = fs.readFileSync(path.join(root, 'testapi-password'), 'utf8').trim();
    const db = new Client({ host: '127.0.0.1', port: Number(/"port":(\d+)/.exec(usingLine)?.[1]), user: 'postgres', password, database: 'testapi' });
    await db.connect();
    try {
      const users = await db.query<{ test_tag: string }>('SELECT test_tag FROM users WHERE test_tag = ANY($1) ORDER BY test_tag', [tags]);
      expect(users.rows.map((row) => row.test_tag)).toEqual([...tags].sort());
    } finally {
      await db.end();
    }
    // One PostgreSQL for all: the primary started it, the workers connected to it.
    expect(server.logs().filter((line) => line.includes('embedded PostgreSQL started'))).toHaveLength(1);

    // A dead worker is replaced, and the primary says so.
    process.kill(first!, 'SIGKILL');
    const replacement = await until('a replacement listens', () => listeningPids(server).find((pid) => pid !== first && pid !== second), 30_000);
    const death = entries(server).find((entry) => entry.msg === 'a worker died; starting a replacement');
    expect(death).toMatchObject({ pid: first });
    const after = await until(
      'the replacement answers',
      async () => {
        const tag = `workers-${process.pid}-after-${Date.now()}`;
        expect((await provisionUser(server, tag)).status).toBe(201);
        const pid = await until('its request line', () => servedBy(server, tag));
        return pid === replacement ? pid : undefined;
      },
      15_000,
    );
    expect(after).toBe(replacement);

    const { code } = await server.stop('SIGTERM');
    expect(code).toBe(0);
    for (const pid of [primary, second!, replacement]) expect(alive(pid)).toBe(false);
    expect(postgresRunningOn(dataDir)).toBe(false);
  }, 120_000);
});
