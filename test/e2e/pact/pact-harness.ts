import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createTestApi, type PactMappingRequest, type TestApi } from '@testapi/client';
import type { Pool } from 'pg';
import { contractViolations } from '../../support/contract';
import { contractFetch } from '../../support/contract-fetch';
import { assertionPool } from '../../support/database';
import { startServerProcess, type ServerProcess } from '../../support/server-process';

export const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'pact');
export const PACT = path.join(FIXTURES, 'web-orders-api.json');
export const UNKNOWN_STATE_PACT = path.join(FIXTURES, 'web-orders-api-unknown-state.json');
export const STATES_FILE = path.join(FIXTURES, 'states.json');
export const TESTAPI_KEY = 'pact-e2e-key-0123456789abcdef';
/** The provider's own credentials: the verifier sends them to the state URL as well. */
export const PROVIDER_TOKEN = 'the-providers-own-token';
const PACT_VERIFIER = path.join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'pact-verifier');

/** Listens on a free local port: the base URL. */
export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface StatePost {
  session: string;
  state: string;
  action: string;
  status: number;
}

/** A tiny proxy in front of testapi: records every state change POST and can fail the next ones with a transient 503. */
export interface StateProxy {
  posts: StatePost[];
  /** testapi's answers to the verifier that drift from openapi.yaml (checked like every answer tests see). */
  violations: string[];
  failNext(count: number): void;
  stateUrl(mapping: string, session: string): string;
  close(): Promise<void>;
}

async function startStateProxy(target: string): Promise<StateProxy> {
  const posts: StatePost[] = [];
  const violations: string[] = [];
  let failures = 0;
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { state?: string; action?: string }) : {};
    const post: StatePost = {
      session: url.searchParams.get('session') ?? '',
      state: parsed.state ?? url.searchParams.get('state') ?? '',
      action: parsed.action ?? url.searchParams.get('action') ?? 'setup',
      status: 0,
    };
    posts.push(post);
    if (failures > 0) {
      failures -= 1;
      post.status = 503;
      res.writeHead(503, { 'Content-Type': 'application/problem+json', 'Retry-After': '1' });
      res.end(JSON.stringify({ type: 'urn:test:injected', title: 'Injected failure', status: 503, detail: 'a transient failure injected by the test proxy' }));
      return;
    }
    const forward = http.request(`${target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, async (answer) => {
      post.status = answer.statusCode ?? 0;
      const text = (await readBody(answer)).toString('utf8');
      violations.push(
        ...contractViolations({
          method: req.method ?? 'POST',
          url: req.url ?? '/',
          requestBody: body.length > 0 ? parsed : undefined,
          status: post.status,
          contentType: answer.headers['content-type'],
          body: text ? (JSON.parse(text) as unknown) : undefined,
        }),
      );
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.end(text);
    });
    forward.end(body);
  });
  const base = await listen(server);
  return {
    posts,
    violations,
    failNext(count) {
      failures = count;
    },
    stateUrl: (mapping, session) => `${base}/pact/provider-states?mapping=${mapping}&session=${session}`,
    close: () => close(server),
  };
}

export interface ProviderRequest {
  path: string;
  status: number;
  /** test_tag of the row the request read, when it found one. */
  tag?: string;
  at: number;
}

/** The provider under verification: a small HTTP API that reads testapi's PostgreSQL as a real provider reads its own database. */
export interface Provider {
  url: string;
  requests: ProviderRequest[];
  /**
   * Holds each data request until `count` of them have arrived (or 20 s
   * passed): two verifications started together then overlap for sure, on a
   * machine however busy, where a fixed delay only made it likely.
   */
  gather(count: number): void;
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function startProvider(pool: Pool): Promise<Provider> {
  const requests: ProviderRequest[] = [];
  let arrived = 0;
  let wanted = 0;
  let release: () => void = () => {};
  let gathered = Promise.resolve();
  const provider = {
    requests,
    gather(count: number): void {
      arrived = 0;
      wanted = count;
      gathered = new Promise<void>((resolve) => {
        release = resolve;
        setTimeout(resolve, 20_000).unref();
      });
    },
  };
  const server = http.createServer(async (req, res) => {
    const record: ProviderRequest = { path: req.url ?? '', status: 404, at: Date.now() };
    requests.push(record);
    const send = (status: number, body?: unknown): void => {
      record.status = status;
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${PROVIDER_TOKEN}`) return send(401, { error: 'unauthorized' });
    const order = /^\/orders\/([^/]+)$/.exec(record.path)?.[1];
    const userOrders = /^\/users\/([^/]+)\/orders$/.exec(record.path)?.[1];
    if (record.path === '/health') return send(200, { status: 'ok' });
    arrived += 1;
    if (arrived >= wanted) release();
    await gathered;
    if (order && UUID.test(order)) {
      const row = (await pool.query('SELECT id, user_id, status, test_tag FROM orders WHERE id = $1', [order])).rows[0];
      if (!row) return send(404);
      record.tag = row.test_tag;
      return send(200, { id: row.id, userId: row.user_id, status: row.status });
    }
    if (userOrders && UUID.test(userOrders)) {
      const row = (await pool.query('SELECT u.test_tag, count(o.id)::int AS count FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.id = $1 GROUP BY u.test_tag', [userOrders])).rows[0];
      if (!row) return send(404);
      record.tag = row.test_tag;
      return send(200, { count: row.count });
    }
    return send(404);
  });
  return Object.assign(provider, { url: await listen(server), close: () => close(server) });
}

export interface PactEnvironment {
  testapi: ServerProcess;
  proxy: StateProxy;
  provider: Provider;
  pool: Pool;
  api: TestApi;
}

/**
 * testapi as a user starts it (the built service, with an API key), the
 * counting proxy in front of it, and the provider: started once per file.
 */
export function usePactEnvironment(): () => PactEnvironment {
  let environment: PactEnvironment | undefined;
  beforeAll(async () => {
    const testapi = await startServerProcess({ DATABASE_URL: process.env.DATABASE_URL!, TESTAPI_API_KEY: TESTAPI_KEY, HOST: '127.0.0.1' });
    const pool = assertionPool(process.env.DATABASE_URL!, 4);
    environment = {
      testapi,
      pool,
      proxy: await startStateProxy(testapi.url),
      provider: await startProvider(pool),
      api: createTestApi({ baseUrl: testapi.url, apiKey: TESTAPI_KEY, fetch: contractFetch() }),
    };
  }, 30_000);
  afterEach(() => {
    expect(environment?.proxy.violations).toEqual([]);
  });
  afterAll(async () => {
    await environment?.proxy.close();
    await environment?.provider.close();
    await environment?.testapi.stop();
    await environment?.pool.end();
  });
  return () => {
    if (!environment) throw new Error('usePactEnvironment(): available inside tests only');
    return environment;
  };
}

export function statesMapping(): PactMappingRequest {
  return JSON.parse(fs.readFileSync(STATES_FILE, 'utf8')) as PactMappingRequest;
}

/** Rows per pact tag under a prefix (users and orders tell the graphs apart). */
export async function rowsByTag(pool: Pool, prefix: string): Promise<Record<string, { users: number; orders: number }>> {
  const result = await pool.query<{ tag: string; users: number; orders: number }>(
    `SELECT tag, count(*) FILTER (WHERE kind = 'user')::int AS users, count(*) FILTER (WHERE kind = 'order')::int AS orders
       FROM (SELECT test_tag AS tag, 'user' AS kind FROM users WHERE starts_with(test_tag, $1)
             UNION ALL SELECT test_tag, 'order' FROM orders WHERE starts_with(test_tag, $1)) rows
      GROUP BY tag`,
    [prefix],
  );
  return Object.fromEntries(result.rows.map((row) => [row.tag, { users: row.users, orders: row.orders }]));
}

/** Every row and registration under a prefix, all tables together. */
export async function anythingUnder(pool: Pool, prefix: string): Promise<number> {
  const tables = ['organizations', 'users', 'memberships', 'addresses', 'products', 'orders', 'order_items', 'payments', 'shipments'];
  const selects = [...tables.map((table) => `SELECT count(*)::int AS n FROM ${table} WHERE starts_with(test_tag, $1)`), 'SELECT count(*)::int FROM test_tags WHERE starts_with(tag, $1)'];
  const result = await pool.query<{ n: number }>(selects.join(' UNION ALL '), [prefix]);
  return result.rows.reduce((sum, row) => sum + row.n, 0);
}

export interface CliRun {
  code: number;
  output: string;
}

/** The standalone `pact verifier` (pact_verifier_cli from @pact-foundation/pact-cli). */
export function runPactVerifier(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(PACT_VERIFIER, ['--no-colour', ...args], { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}
